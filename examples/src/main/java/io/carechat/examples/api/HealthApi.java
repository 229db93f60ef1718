package io.carechat.examples.api;

import io.carechat.examples.http.ApiResponse;
import io.carechat.examples.http.Router;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Liveness and readiness for an orchestrator, without a token and without detail beyond UP or
 * DOWN per check. {@code GET /health/live}: 200 while the process serves HTTP at all (restart it
 * otherwise). {@code GET /health/ready}: 200 when storage answers, the event bus is linked to the
 * other nodes and the audit writer (the group-commit writer that stores every send and audit
 * event) runs; 503 otherwise, with each check's state, so a load balancer sends no traffic here
 * until it is back. ({@code GET /health} stays the database check it always was.) Thread-safe;
 * holds only its checks.
 */
public final class HealthApi {
    private final Map<String, BooleanSupplier> checks = new LinkedHashMap<>();

    /**
     * Readiness from three checks.
     *
     * @param storage whether the database answers
     * @param bus whether the event bus is linked (listening on PostgreSQL, connected to NATS)
     * @param auditWriter whether the audit writer runs
     */
    public HealthApi(BooleanSupplier storage, BooleanSupplier bus, BooleanSupplier auditWriter) {
        checks.put("storage", storage);
        checks.put("bus", bus);
        checks.put("auditWriter", auditWriter);
    }

    /**
     * Adds the two routes, open to anyone.
     *
     * @param router the server's router
     */
    public void register(Router router) {
        router.route("GET", "/health/live", request -> ApiResponse.ok(Map.of("status", "UP")))
                .route("GET", "/health/ready", request -> ready());
    }

    private ApiResponse ready() {
        Map<String, String> states = new LinkedHashMap<>();
        boolean up = true;
        for (Map.Entry<String, BooleanSupplier> check : checks.entrySet()) {
            boolean ok = check.getValue().getAsBoolean();
            states.put(check.getKey(), ok ? "UP" : "DOWN");
            up &= ok;
        }
        return new ApiResponse(up ? 200 : 503, Map.of("status", up ? "UP" : "DOWN", "checks", states), null, null);
    }
}
