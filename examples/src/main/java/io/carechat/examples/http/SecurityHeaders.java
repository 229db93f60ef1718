package io.carechat.examples.http;

import com.sun.net.httpserver.Headers;

/** The security headers every answer of the demo server carries. Stateless. */
public final class SecurityHeaders {
    /** The content security policy: only this server's own scripts, styles and sockets. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; "
            + "style-src 'self'; img-src 'self' blob: data:; connect-src 'self' ws: wss:; "
            + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private SecurityHeaders() {}

    /**
     * Sets the headers.
     *
     * @param headers the response headers
     */
    public static void apply(Headers headers) {
        headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("X-Frame-Options", "DENY");
        headers.set("Referrer-Policy", "no-referrer");
        headers.set("Cross-Origin-Opener-Policy", "same-origin");
        headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    }
}
