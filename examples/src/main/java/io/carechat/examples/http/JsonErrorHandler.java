package io.carechat.examples.http;

import io.carechat.messaging.error.ErrorCode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Writes the errors Jetty itself produces (a bad request line, headers too large, a URI too long,
 * a path Jetty refuses) as the wire contract's {@code {"error":{"code":...,"message":...}}} with
 * the security headers, never as Jetty's HTML page and never with a stack trace. The API's own
 * errors are written by {@link Router}; this one covers what happens before a request reaches it.
 * Set on the server and on its servlet context. Thread-safe and stateless.
 */
public final class JsonErrorHandler extends ErrorHandler {
    private final SecurityHeaders securityHeaders;

    /**
     * Creates the handler.
     *
     * @param securityHeaders the headers every answer carries
     */
    public JsonErrorHandler(SecurityHeaders securityHeaders) {
        this.securityHeaders = securityHeaders;
        setShowStacks(false);
        setShowCauses(false);
    }

    @Override
    protected void generateResponse(Request request, Response response, int status, String message, Throwable cause,
            Callback callback) {
        HttpFields.Mutable headers = response.getHeaders();
        securityHeaders.forEach(headers::put);
        headers.put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        headers.put(HttpHeader.CACHE_CONTROL, "no-store");
        // What Jetty refuses is malformed or hostile; the connection's framing is not trusted further.
        headers.put(HttpHeader.CONNECTION, "close");
        if (status == 429) {
            headers.put(HttpHeader.RETRY_AFTER, "1");
        }
        response.write(true, ByteBuffer.wrap(body(status)), callback);
    }

    /** The contract's body for a status; the message is fixed text, never Jetty's, which may echo input. */
    static byte[] body(int status) {
        ErrorCode code = codeOf(status);
        String text = "{\"error\":{\"code\":\"" + code.wireName() + "\",\"message\":\"" + messageOf(status) + "\"}}";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static ErrorCode codeOf(int status) {
        return switch (status) {
            case 401 -> ErrorCode.UNAUTHENTICATED;
            case 403 -> ErrorCode.FORBIDDEN;
            case 404 -> ErrorCode.NOT_FOUND;
            case 413, 414, 431 -> ErrorCode.TOO_LARGE;
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            case 429 -> ErrorCode.RATE_LIMITED;
            case 503 -> ErrorCode.UNAVAILABLE;
            default -> status >= 500 ? ErrorCode.INTERNAL : ErrorCode.BAD_REQUEST;
        };
    }

    private static String messageOf(int status) {
        return switch (status) {
            case 404 -> "no such endpoint";
            case 413 -> "the request is too large";
            case 414 -> "the request URI is too long";
            case 431 -> "the request headers are too large";
            case 503 -> "the server is not available; retry later";
            default -> status >= 500 ? "internal error" : "the request is malformed";
        };
    }
}
