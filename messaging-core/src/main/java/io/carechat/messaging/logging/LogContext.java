package io.carechat.messaging.logging;

import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * The slf4j MDC keys CareChat sets around a request's or a socket's work, so every log line of
 * that work carries them, and scopes that set them and put back what was there before. Values are
 * ids only: never a token, a name or message content.
 *
 * <ul>
 *   <li>{@value #REQUEST_ID}: an HTTP request's id, made by the server;</li>
 *   <li>{@value #SOCKET_ID}: a WebSocket's id ({@code io.carechat.messaging.hub.Connection#id()});</li>
 *   <li>{@value #USER_ID}: the authenticated user's id, once known;</li>
 *   <li>{@value #TRACE_ID}: the trace id of a valid W3C {@code traceparent} ({@link TraceParent}).</li>
 * </ul>
 *
 * <p>A scope belongs to the thread that opened it and must be closed there (try-with-resources);
 * work handed to another thread opens its own scope there. Stateless; thread-safe.
 */
public final class LogContext {
    /** An HTTP request's id. */
    public static final String REQUEST_ID = "requestId";
    /** A WebSocket's id. */
    public static final String SOCKET_ID = "socketId";
    /** The authenticated user's id. */
    public static final String USER_ID = "userId";
    /** The W3C trace id the client sent. */
    public static final String TRACE_ID = "traceId";

    private LogContext() {}

    /**
     * Puts a socket's ids in the MDC until the scope closes.
     *
     * @param socketId the socket's id
     * @param userId the user's id, or null before authentication
     * @param traceId the trace id from the upgrade's {@code traceparent}, or null
     * @return the scope, which puts back the MDC as it was when closed
     */
    public static Scope socket(String socketId, @Nullable String userId, @Nullable String traceId) {
        return open(SOCKET_ID, socketId, userId, traceId);
    }

    /**
     * Puts a request's ids in the MDC until the scope closes.
     *
     * @param requestId the request's id
     * @param userId the user's id, or null while unknown (set it later with {@link #user})
     * @param traceId the trace id from the request's {@code traceparent}, or null
     * @return the scope, which puts back the MDC as it was when closed
     */
    public static Scope request(String requestId, @Nullable String userId, @Nullable String traceId) {
        return open(REQUEST_ID, requestId, userId, traceId);
    }

    /**
     * Records in the current thread's MDC who the work is for, once authentication told it.
     *
     * @param userId the user's id
     */
    public static void user(String userId) {
        MDC.put(USER_ID, userId);
    }

    private static Scope open(String idKey, String id, @Nullable String userId, @Nullable String traceId) {
        Scope scope = new Scope(MDC.getCopyOfContextMap());
        MDC.remove(idKey.equals(SOCKET_ID) ? REQUEST_ID : SOCKET_ID);
        MDC.put(idKey, id);
        putOrRemove(USER_ID, userId);
        putOrRemove(TRACE_ID, traceId);
        return scope;
    }

    private static void putOrRemove(String key, @Nullable String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }

    /** Puts back the MDC as it was before the scope opened. Close it once, on the thread that opened it. */
    public static final class Scope implements AutoCloseable {
        private final @Nullable Map<String, String> previous;

        private Scope(@Nullable Map<String, String> previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            if (previous == null) {
                MDC.clear();
            } else {
                MDC.setContextMap(previous);
            }
        }
    }
}
