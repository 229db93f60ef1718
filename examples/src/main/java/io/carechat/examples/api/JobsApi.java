package io.carechat.examples.api;

import io.carechat.examples.http.ApiRequest;
import io.carechat.examples.http.ApiResponse;
import io.carechat.examples.http.Router;
import io.carechat.messaging.Messaging;
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
    private final Messaging messaging;
    private final Authenticator auth;
    private final Supplier<List<JobStatus>> status;

    private JobsApi(Messaging messaging, Supplier<List<JobStatus>> status) {
        this.messaging = messaging;
        this.auth = new Authenticator(messaging.tokens());
        this.status = status;
    }

    /**
     * Adds the route to a router.
     *
     * @param router the demo's router
     * @param messaging the facade: verifies the caller's token and judges who is an admin on
     *     their stored roles
     * @param status the jobs' status, such as {@code JobScheduler::status}
     */
    public static void register(Router router, Messaging messaging, Supplier<List<JobStatus>> status) {
        JobsApi api = new JobsApi(messaging, status);
        router.route("GET", "/api/admin/jobs", api::list);
    }

    private ApiResponse list(ApiRequest request) {
        if (messaging.holdingRole(List.of(auth.caller(request).userId()), Role.ADMIN).isEmpty()) {
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
