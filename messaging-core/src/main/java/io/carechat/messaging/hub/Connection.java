package io.carechat.messaging.hub;

import org.jspecify.annotations.Nullable;

/**
 * One client socket, as a transport adapter exposes it to the {@link Hub}. This is the whole
 * contract between a transport and the hub: the hub never sees the transport's own types.
 *
 * <p>Implementations must be thread-safe: the hub calls them from its worker threads, from the
 * event bus's delivery thread and from its timer. No method may block; {@link #send(String)} must
 * queue the frame and return.
 *
 * <p>Lifecycle: the transport creates one per socket, passes it to
 * {@link Hub#open(Connection, String)}, and when the socket is gone (closed by either side) calls
 * {@link HubSession#onClose()}.
 */
public interface Connection {

    /**
     * An id for this socket, unique within the process, used in log lines and audit request ids.
     * It must not contain a token or any client-supplied text.
     *
     * @return the id
     */
    String id();

    /**
     * The client's network address, for the audit trail.
     *
     * @return the address, or null when unknown
     */
    @Nullable String remoteAddress();

    /**
     * The trace id of a valid W3C {@code traceparent} header on the upgrade request
     * ({@link io.carechat.messaging.logging.TraceParent}), which the hub puts in the log MDC of
     * this socket's work. The default, for a transport that does not read it: none.
     *
     * @return the 32 hex digits, or null
     */
    default @Nullable String traceId() {
        return null;
    }

    /**
     * Queues a text frame for the client without blocking.
     *
     * @param text the frame's JSON text
     * @return true if queued; false if the socket is closed or the transport's own buffer cannot
     *     take it, upon which the hub closes the session as a slow consumer
     */
    boolean send(String text);

    /**
     * How many bytes this socket has queued and not yet written to the network. The hub refuses to
     * queue beyond {@link HubSettings#maxQueuedBytes()} and closes the session with
     * {@link CloseCodes#SLOW_CONSUMER} instead. A transport that cannot tell keeps the default, 0,
     * and must then refuse in {@link #send(String)} when its buffer is full.
     *
     * @return the bytes queued, never negative
     */
    default long queuedBytes() {
        return 0;
    }

    /**
     * Tells the transport that the session's token was verified, so the socket no longer counts
     * as unauthenticated (a transport may cap unauthenticated sockets per address). Called at most
     * once, from a hub worker; must not block. The default does nothing.
     */
    default void authenticated() {}

    /**
     * Closes the socket with a WebSocket close code and reason, without blocking. Idempotent.
     *
     * @param code the close code, see {@link CloseCodes}
     * @param reason a short machine-readable reason such as {@code token_expired}
     */
    void close(int code, String reason);
}
