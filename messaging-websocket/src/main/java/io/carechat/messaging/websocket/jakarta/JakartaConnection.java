package io.carechat.messaging.websocket.jakarta;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.hub.Connection;
import io.carechat.messaging.hub.HubSession;
import io.carechat.messaging.websocket.internal.UnauthenticatedSockets;
import jakarta.websocket.CloseReason;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Jakarta WebSocket session as the hub's {@link Connection}, linked to its {@link HubSession}.
 *
 * <p>Outbound frames go through a queue of its own and leave one at a time through the session's
 * {@linkplain jakarta.websocket.RemoteEndpoint.Async asynchronous remote}: the next frame is handed
 * over when the container reports the previous one written. Containers differ in how many async
 * sends they accept at once (Tomcat one, Jetty any), so one at a time works on all of them, and the
 * backlog the hub bounds, {@link #queuedBytes()}, is exactly the frames queued here plus the one in
 * flight. A close asked for by the hub is queued behind the frames before it, so answers already
 * due reach the client first. Closing through the Jakarta API may block (both Jetty and Tomcat wait
 * for the close frame to be written), so it runs on the adapter's closing executor, never on a hub
 * or container thread. A send the container fails (the peer is gone, or its send timeout passed)
 * drops the queue and closes the session.
 *
 * <p>Not API. Thread-safe: the hub calls it from its threads, the container from its own.
 * Lifecycle: one per session, from {@code onOpen} to {@code onClose}.
 */
final class JakartaConnection implements Connection {
    private static final Logger LOG = LoggerFactory.getLogger(JakartaConnection.class);

    /** A frame waiting to be written, or (with null text) the close that follows the frames before it. */
    private record Outbound(@Nullable String text, long size, int closeCode, String closeReason) {
        static Outbound frame(String text) {
            return new Outbound(text, frameSize(text), 0, "");
        }

        static Outbound close(int code, String reason) {
            return new Outbound(null, 0, code, reason);
        }
    }

    private final Session session;
    private final String id;
    private final @Nullable String remoteAddress;
    private final Executor closer;
    private final ArrayDeque<Outbound> queue = new ArrayDeque<>();
    private long queued;
    private boolean writing;
    private boolean closing;
    private @Nullable Thread pumping;
    private volatile boolean closed;
    private volatile @Nullable HubSession hubSession;
    private volatile boolean draining;
    private volatile UnauthenticatedSockets.@Nullable Place unauthenticated;
    private volatile long lastHeard = System.nanoTime();
    private final @Nullable String traceId;

    /**
     * Creates the connection for a session that just opened.
     *
     * @param session the container's session
     * @param id the id for log lines
     * @param remoteAddress the client's address, or null when unknown
     * @param traceId the trace id of the upgrade's valid {@code traceparent}, or null
     * @param closer where closes run, since closing may block
     */
    JakartaConnection(Session session, String id, @Nullable String remoteAddress, @Nullable String traceId,
            Executor closer) {
        this.session = requireNonNull(session, "session");
        this.traceId = traceId;
        this.id = requireNonNull(id, "id");
        this.remoteAddress = remoteAddress;
        this.closer = requireNonNull(closer, "closer");
    }

    /**
     * Links the hub's session; frames reach it from then on. A session linked after a drain began
     * is drained at once.
     */
    void attach(HubSession value) {
        this.hubSession = value;
        if (draining) {
            value.drain();
        }
    }

    /** Counts this socket as unauthenticated until the hub reports it authenticated, or it closes. */
    void countAsUnauthenticated(UnauthenticatedSockets.Place place) {
        this.unauthenticated = place;
    }

    @Override
    public @Nullable String traceId() {
        return traceId;
    }

    @Override
    public void authenticated() {
        leaveUnauthenticated();
    }

    private void leaveUnauthenticated() {
        UnauthenticatedSockets.Place place = unauthenticated;
        if (place != null) {
            place.leave();
        }
    }

    /** Hands a client frame to the hub, which ignores it once draining. */
    void onText(String text) {
        heard();
        HubSession s = hubSession;
        if (s != null) {
            s.onText(text);
        }
    }

    /** Tells the hub the socket is gone, which also ends any drain; drops what is still queued. */
    void onClosed() {
        closed = true;
        synchronized (queue) {
            queue.clear();
            queued = 0;
        }
        leaveUnauthenticated();
        HubSession s = hubSession;
        if (s != null) {
            s.onClose();
        }
    }

    /**
     * Has the hub stop taking client frames and learns when it has answered the ones it took.
     *
     * @return completed when every frame handed over was answered, or the socket closed
     */
    CompletableFuture<Void> drain() {
        draining = true;
        HubSession s = hubSession;
        if (s == null || closed) {
            return CompletableFuture.completedFuture(null);
        }
        return s.drain().toCompletableFuture();
    }

    /** Closes the socket with 1003 {@code text_only}: the protocol is text only. */
    void refuseBinary() {
        close(CloseReason.CloseCodes.CANNOT_ACCEPT.getCode(), "text_only");
    }

    /** Notes that the client was heard from: a message or a pong. */
    void heard() {
        lastHeard = System.nanoTime();
    }

    /** When the client was last heard from, in {@link System#nanoTime()}. */
    long lastHeard() {
        return lastHeard;
    }

    /** Sends a ping on the closing executor, since a Jakarta ping may block until written. */
    void ping() {
        if (closed) {
            return;
        }
        run(() -> {
            try {
                session.getAsyncRemote().sendPing(ByteBuffer.allocate(0));
            } catch (IOException | RuntimeException e) {
                LOG.debug("{}: ping failed ({})", id, e.getClass().getName());
            }
        });
    }

    /** Drops the socket at once, frames still queued included: the peer is gone. */
    void abort() {
        synchronized (queue) {
            queue.clear();
            queued = 0;
            closing = true;
            writing = true;
        }
        closeSession(new CloseReason(CloseReason.CloseCodes.CLOSED_ABNORMALLY, "connection_lost"));
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public @Nullable String remoteAddress() {
        return remoteAddress;
    }

    @Override
    public boolean send(String text) {
        if (closed) {
            return false;
        }
        synchronized (queue) {
            if (closing) {
                return false;
            }
            Outbound frame = Outbound.frame(text);
            queue.add(frame);
            queued += frame.size();
        }
        pump();
        return true;
    }

    @Override
    public long queuedBytes() {
        synchronized (queue) {
            return queued;
        }
    }

    @Override
    public void close(int code, String reason) {
        synchronized (queue) {
            if (closing) {
                return;
            }
            closing = true;
            queue.add(Outbound.close(code, reason));
        }
        pump();
    }

    /**
     * Hands the head of the queue to the container unless a frame is in flight. A container that
     * completes a send on the calling thread calls {@link #written} inside {@code sendText}; the
     * loop here then goes on with the next frame instead of recursing once per frame.
     */
    private void pump() {
        Thread me = Thread.currentThread();
        while (true) {
            Outbound next;
            synchronized (queue) {
                if (writing || queue.isEmpty() || closed) {
                    if (pumping == me) {
                        pumping = null;
                    }
                    return;
                }
                next = queue.peek();
                writing = true;
                pumping = me;
            }
            String text = next.text();
            if (text == null) {
                closeSession(new CloseReason(CloseReason.CloseCodes.getCloseCode(next.closeCode()), next.closeReason()));
                return;
            }
            try {
                session.getAsyncRemote().sendText(text, this::written);
            } catch (RuntimeException e) {
                written(new SendResult(e));
            }
        }
    }

    /** The container's report on the frame in flight. */
    private void written(SendResult result) {
        boolean continueHere;
        synchronized (queue) {
            Outbound done = queue.poll();
            if (done != null) {
                queued -= done.size();
            }
            writing = false;
            continueHere = pumping == Thread.currentThread();
            if (!result.isOK()) {
                queue.clear();
                queued = 0;
                closing = true;
            }
        }
        if (!result.isOK()) {
            Throwable failure = result.getException();
            LOG.debug("{}: a frame could not be written ({})", id,
                    failure == null ? "unknown" : failure.getClass().getName());
            if (session.isOpen()) {
                // the container may be closing the session itself, with a code of its own
                closeSession(new CloseReason(CloseReason.CloseCodes.CLOSED_ABNORMALLY, "write_failed"));
            }
            return;
        }
        if (!continueHere) {
            pump();
        }
    }

    private void run(Runnable task) {
        try {
            closer.execute(task);
        } catch (RejectedExecutionException stopped) {
            LOG.debug("{}: the adapter has stopped; the container closes the socket", id);
        }
    }

    private void closeSession(CloseReason reason) {
        run(() -> {
            try {
                if (reason.getCloseCode() == CloseReason.CloseCodes.CLOSED_ABNORMALLY) {
                    session.close();
                } else {
                    session.close(reason);
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("{}: close failed ({})", id, e.getClass().getName());
            }
        });
    }

    /** The bytes of an unmasked text frame carrying this text. */
    private static long frameSize(String text) {
        long payload = text.getBytes(StandardCharsets.UTF_8).length;
        long header = payload <= 125 ? 2 : payload <= 65_535 ? 4 : 10;
        return header + payload;
    }
}
