package io.carechat.examples.api;

import io.carechat.examples.http.ApiRequest;
import io.carechat.examples.http.ApiResponse;
import io.carechat.examples.http.Router;
import io.carechat.messaging.auth.AccessTokens;
import io.carechat.messaging.error.ForbiddenException;
import io.carechat.messaging.jobs.JobStatus;
import io.carechat.messaging.model.Role;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /api/admin/jobs}: each background job's interval, whether a node runs it now, its last
 * run's start, end, outcome and error kind, and its progress, for admins. Thread-safe.
 */
public final class JobsApi {
    private final Authenticator auth;
    private final Supplier<List<JobStatus>> status;

    private JobsApi(Authenticator auth, Supplier<List<JobStatus>> status) {
        this.auth = auth;
        this.status = status;
    }

    /**
     * Adds the route to a router.
     *
     * @param router the demo's router
     * @param tokens verifies the caller's access token
     * @param status the jobs' status, such as {@code JobScheduler::status}
     */
    public static void register(Router router, AccessTokens tokens, Supplier<List<JobStatus>> status) {
        JobsApi api = new JobsApi(new Authenticator(tokens), status);
        router.route("GET", "/api/admin/jobs", api::list);
    }

    private ApiResponse list(ApiRequest request) {
        if (!auth.caller(request).hasRole(Role.ADMIN)) {
            throw new ForbiddenException("only admins see the background jobs");
        }
        return ApiResponse.ok(Map.of("jobs", status.get().stream().map(JobsApi::json).toList()));
    }

    private static Map<String, Object> json(JobStatus job) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", job.name());
        out.put("intervalSeconds", job.interval().toSeconds());
        out.put("running", job.running());
        out.put("holder", job.holder());
        out.put("lastStartedAt", job.startedAt() == null ? null : job.startedAt().toString());
        out.put("lastEndedAt", job.endedAt() == null ? null : job.endedAt().toString());
        out.put("outcome", job.outcome() == null ? null : job.outcome().name());
        out.put("errorKind", job.errorKind());
        out.put("processed", job.processed());
        out.put("resumable", job.resumable());
        return out;
    }
}
