package io.carechat.examples.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps the requests one client address may have in progress at once, in front of the demo's
 * handlers: the server has a fixed number of request threads, and without a cap one address
 * (slow uploads, a flood) could hold all of them. A request beyond the cap is answered 429
 * {@code rate_limited} with {@code Retry-After: 1} at once, without reading its body. Counters exist only while an address has
 * requests in progress. Thread-safe; one instance wraps every handler of a server.
 */
public final class AddressGate {
    private static final byte[] REFUSAL = ("{\"error\":{\"code\":\"rate_limited\",\"message\":"
            + "\"too many requests in progress from this address; retry when one has finished\"}}")
            .getBytes(StandardCharsets.UTF_8);

    private final int maxInProgress;
    private final SecurityHeaders securityHeaders;
    private final ConcurrentHashMap<String, AtomicInteger> inProgress = new ConcurrentHashMap<>();

    /**
     * Creates a gate.
     *
     * @param maxInProgress requests one address may have in progress, at least 1
     * @param securityHeaders the headers every answer carries, the refusal included
     */
    public AddressGate(int maxInProgress, SecurityHeaders securityHeaders) {
        if (maxInProgress < 1) {
            throw new IllegalArgumentException("maxInProgress must be at least 1");
        }
        this.maxInProgress = maxInProgress;
        this.securityHeaders = securityHeaders;
    }

    /**
     * Puts the gate in front of a handler.
     *
     * @param handler the handler
     * @return the gated handler
     */
    public HttpHandler guard(HttpHandler handler) {
        return exchange -> {
            String address = exchange.getRemoteAddress().getAddress().getHostAddress();
            if (!enter(address)) {
                refuse(exchange);
                return;
            }
            try {
                handler.handle(exchange);
            } finally {
                leave(address);
            }
        };
    }

    private boolean enter(String address) {
        boolean[] admitted = {false};
        inProgress.compute(address, (a, count) -> {
            AtomicInteger c = count == null ? new AtomicInteger() : count;
            if (c.get() < maxInProgress) {
                c.incrementAndGet();
                admitted[0] = true;
            }
            return c.get() == 0 ? null : c;
        });
        return admitted[0];
    }

    private void leave(String address) {
        inProgress.computeIfPresent(address, (a, count) -> count.decrementAndGet() == 0 ? null : count);
    }

    private void refuse(HttpExchange exchange) throws IOException {
        try (exchange) {
            securityHeaders.apply(exchange.getResponseHeaders());
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            exchange.getResponseHeaders().set("Connection", "close");
            exchange.getResponseHeaders().set("Retry-After", "1");
            exchange.sendResponseHeaders(429, REFUSAL.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(REFUSAL);
            }
        }
    }
}
