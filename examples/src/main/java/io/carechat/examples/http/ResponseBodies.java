package io.carechat.examples.http;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Writes a whole body so that the response completes only when the servlet returns, not as soon as
 * its last byte is written: {@link AddressGate} counts a request as in progress until then, so a
 * client that has read its answer never finds its slot still taken. Bodies up to
 * {@link #BUFFERED_BYTES} are buffered whole (Jetty then sets {@code Content-Length} as it
 * completes the response); larger ones (downloads) declare their length and stream. Stateless.
 */
final class ResponseBodies {
    /** Bodies buffered whole; larger ones complete as their last byte is written. */
    static final int BUFFERED_BYTES = 256 * 1024;

    private ResponseBodies() {}

    static void write(HttpServletResponse response, byte[] body) throws IOException {
        if (body.length <= BUFFERED_BYTES) {
            response.setBufferSize(Math.max(response.getBufferSize(), body.length + 1));
        } else {
            response.setContentLength(body.length);
        }
        response.getOutputStream().write(body);
    }
}
