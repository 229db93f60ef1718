package io.carechat.examples.http;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps the requests one client address may have in progress at once, in front of the demo's
 * handlers: the server has a fixed number of request threads, and without a cap one address
 * (slow uploads, a flood) could hold all of them. A request beyond the cap is answered 429
 * {@code rate_limited} with {@code Retry-After: 1} at once, without reading its body. Counters exist only while an address has
 * requests in progress. A servlet filter; thread-safe; one instance is put in front of every
 * HTTP servlet of a server (not the WebSocket upgrade, which has its own budget).
 */
public final class AddressGate implements Filter {
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

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String address = request.getRemoteAddr();
        if (!enter(address)) {
            refuse((HttpServletResponse) response);
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            leave(address);
        }
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

    private void refuse(HttpServletResponse response) throws IOException {
        securityHeaders.apply(response);
        response.setStatus(429);
        response.setContentType("application/json; charset=utf-8");
        response.setHeader("Connection", "close");
        response.setHeader("Retry-After", "1");
        response.setContentLength(REFUSAL.length);
        response.getOutputStream().write(REFUSAL);
    }
}
