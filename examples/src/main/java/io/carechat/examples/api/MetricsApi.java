package io.carechat.examples.api;

import io.carechat.examples.http.ApiRequest;
import io.carechat.examples.http.ApiResponse;
import io.carechat.examples.http.Router;
import io.carechat.messaging.Messaging;
import io.carechat.messaging.error.ForbiddenException;
import io.carechat.messaging.metrics.MicrometerMetrics;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.Role;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The server's meters, for admins only (a bearer token of a user whose stored roles hold ADMIN;
 * 401 without a valid token, 403 otherwise): {@code GET /metrics} in the Prometheus text format
 * for a scraper, and {@code GET /api/admin/metrics}, a few live figures as JSON for the web UI's
 * admin dashboard (open sockets and sessions, sends by outcome, ack latency mean and p99 in
 * milliseconds). Thread-safe; holds no state of its own.
 */
public final class MetricsApi {
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final Messaging messaging;
    private final PrometheusMeterRegistry registry;
    private final Authenticator auth;

    /**
     * Serves a registry's meters.
     *
     * @param messaging the facade, which judges who is an admin on their stored roles
     * @param registry the registry the facade and storage record on
     */
    public MetricsApi(Messaging messaging, PrometheusMeterRegistry registry) {
        this.messaging = messaging;
        this.registry = registry;
        this.auth = new Authenticator(messaging.tokens());
    }

    /**
     * Adds the two routes.
     *
     * @param router the server's router
     */
    public void register(Router router) {
        router.route("GET", "/metrics", this::scrape)
                .route("GET", "/api/admin/metrics", this::figures);
    }

    private ApiResponse scrape(ApiRequest request) {
        requireAdmin(request);
        return ApiResponse.bytes(registry.scrape().getBytes(StandardCharsets.UTF_8), PROMETHEUS_TEXT);
    }

    private ApiResponse figures(ApiRequest request) {
        requireAdmin(request);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("openSockets", gauge(MicrometerMetrics.SOCKETS_OPEN));
        figures.put("openSessions", gauge(MicrometerMetrics.SESSIONS_OPEN));
        Map<String, Long> sends = new TreeMap<>();
        for (Counter counter : registry.find(MicrometerMetrics.SENDS).counters()) {
            sends.merge(String.valueOf(counter.getId().getTag("outcome")), (long) counter.count(), Long::sum);
        }
        figures.put("sends", sends);
        Timer ack = registry.find(MicrometerMetrics.ACK_LATENCY).timer();
        figures.put("ackMeanMillis", ack == null ? 0 : ack.mean(TimeUnit.MILLISECONDS));
        figures.put("ackP99Millis", ack == null ? 0 : p99Millis(ack));
        return ApiResponse.ok(figures);
    }

    private double gauge(String name) {
        Gauge gauge = registry.find(name).gauge();
        return gauge == null ? 0 : gauge.value();
    }

    private static double p99Millis(Timer timer) {
        for (ValueAtPercentile value : timer.takeSnapshot().percentileValues()) {
            if (value.percentile() == 0.99) {
                return value.value(TimeUnit.MILLISECONDS);
            }
        }
        return 0;
    }

    /** 401 without a valid token; 403 unless the caller's stored roles hold ADMIN. */
    private void requireAdmin(ApiRequest request) {
        Caller caller = auth.caller(request);
        if (messaging.holdingRole(List.of(caller.userId()), Role.ADMIN).isEmpty()) {
            throw new ForbiddenException("admins only");
        }
    }
}
