package io.carechat.examples.http;

import jakarta.servlet.http.HttpServletResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The security headers every answer of the demo server carries: a content security policy that
 * lets the page load only this server's own scripts and styles and open a socket only to the
 * configured WebSocket URL, no sniffing, no framing, no referrer, and HSTS when served over TLS.
 * Immutable and thread-safe.
 */
public final class SecurityHeaders {
    /** How long a browser keeps to HTTPS once it has seen HSTS: one year. */
    static final String STRICT_TRANSPORT_SECURITY = "max-age=31536000";

    private final String contentSecurityPolicy;
    private final boolean tls;

    /**
     * Creates the headers of a server.
     *
     * @param socketUrl the one WebSocket URL the web UI may connect to, such as
     *     {@code wss://chat.hospital.example:8443/ws}
     * @param tls whether the server is reached over HTTPS, which adds HSTS
     */
    public SecurityHeaders(String socketUrl, boolean tls) {
        if (socketUrl.contains(";") || socketUrl.contains(" ") || socketUrl.contains(",")) {
            throw new IllegalArgumentException("the WebSocket URL must be one URL without spaces, commas or semicolons");
        }
        this.contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; "
                + "img-src 'self' blob: data:; connect-src 'self' " + socketUrl + "; object-src 'none'; "
                + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
        this.tls = tls;
    }

    /**
     * The content security policy of pages and API answers.
     *
     * @return the policy
     */
    public String contentSecurityPolicy() {
        return contentSecurityPolicy;
    }

    /**
     * Sets the headers on a servlet response.
     *
     * @param response the response
     */
    public void apply(HttpServletResponse response) {
        forEach(response::setHeader);
    }

    /**
     * Hands each header to a setter, for answers written outside a servlet (Jetty's own errors).
     *
     * @param setter called with each header's name and value
     */
    public void forEach(BiConsumer<String, String> setter) {
        headers().forEach(setter);
    }

    private Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Security-Policy", contentSecurityPolicy);
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("X-Frame-Options", "DENY");
        headers.put("Referrer-Policy", "no-referrer");
        headers.put("Cross-Origin-Opener-Policy", "same-origin");
        headers.put("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
        if (tls) {
            headers.put("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);
        }
        return headers;
    }
}
