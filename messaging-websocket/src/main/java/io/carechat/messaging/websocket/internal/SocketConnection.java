package io.carechat.messaging.websocket.internal;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.hub.Connection;
import io.carechat.messaging.hub.HubSession;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.jspecify.annotations.Nullable;

/**
 * One Java-WebSocket server socket as the hub's {@link Connection}, linked to its
 * {@link HubSession}. Its outbound backlog is the bytes of the frames it queued minus the bytes
 * its {@link MeteredChannel} handed to the network (frames the library makes itself, pings,
 * pongs and the close frame, make the figure a little low, never high).
 *
 * <p>For a graceful shutdown it is drained through {@link HubSession#drain()}: the hub takes no
 * more of the client's frames and tells when it has answered the ones it took.
 *
 * <p>Not API. Thread-safe: the hub calls it from its threads, the library from its own.
 */
public final class SocketConnection implements Connection {
    private final WebSocket socket;
    private final MeteredChannel channel;
    private final WriteRearmer rearmer;
    private final String id;
    private final @Nullable String remoteAddress;
    private final @Nullable String traceId;
    private final AtomicLong queued = new AtomicLong();
    private volatile @Nullable HubSession session;
    private volatile boolean draining;
    private volatile @Nullable UnauthenticatedSockets.Place unauthenticated;

    /**
     * Creates the connection for a socket that completed its upgrade.
     *
     * @param socket the library's socket
     * @param channel the socket's channel
     * @param id the id for log lines
     * @param remoteAddress the client's address, or null when unknown
     * @param traceId the trace id of the upgrade's valid {@code traceparent}, or null
     * @param rearmer what makes sure queued frames get written
     */
    public SocketConnection(WebSocket socket, MeteredChannel channel, String id, @Nullable String remoteAddress,
            @Nullable String traceId, WriteRearmer rearmer) {
        this.traceId = traceId;
        this.socket = requireNonNull(socket, "socket");
        this.channel = requireNonNull(channel, "channel");
        this.rearmer = requireNonNull(rearmer, "rearmer");
        this.id = requireNonNull(id, "id");
        this.remoteAddress = remoteAddress;
    }

    /**
     * Links the hub's session; frames reach it from then on. A session linked after a drain began
     * is drained at once.
     *
     * @param value the session
     */
    public void attach(HubSession value) {
        this.session = value;
        if (draining) {
            value.drain();
        }
    }

    /**
     * Counts this socket as unauthenticated until the hub reports it authenticated, or it closes.
     *
     * @param place the socket's place in its address's count
     */
    public void countAsUnauthenticated(UnauthenticatedSockets.Place place) {
        this.unauthenticated = place;
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

    /**
     * Hands a client frame to the hub, which ignores it once draining.
     *
     * @param text the frame
     */
    public void onText(String text) {
        HubSession s = session;
        if (s != null) {
            s.onText(text);
        }
    }

    /** Tells the hub the socket is gone, which also ends any drain. */
    public void onClosed() {
        leaveUnauthenticated();
        HubSession s = session;
        if (s != null) {
            s.onClose();
        }
    }

    /**
     * Has the hub stop taking client frames and learns when it has answered the ones it took.
     *
     * @return completed when every frame handed over was answered, or the socket closed
     */
    public CompletableFuture<Void> drain() {
        draining = true;
        HubSession s = session;
        if (s == null || !socket.isOpen()) {
            return CompletableFuture.completedFuture(null);
        }
        return s.drain().toCompletableFuture();
    }

    @Override
    public @Nullable String traceId() {
        return traceId;
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
        if (!socket.isOpen()) {
            return false;
        }
        long size = frameSize(text);
        queued.addAndGet(size);
        try {
            socket.send(text);
            if (socket instanceof WebSocketImpl impl) {
                rearmer.watch(impl);
            }
            return true;
        } catch (WebsocketNotConnectedException e) {
            queued.addAndGet(-size);
            return false;
        }
    }

    @Override
    public long queuedBytes() {
        if (!socket.hasBufferedData()) {
            return 0;
        }
        return Math.max(0, queued.get() - channel.written());
    }

    @Override
    public void close(int code, String reason) {
        socket.close(code, reason);
    }

    /** The bytes of an unmasked text frame carrying this text. */
    private static long frameSize(String text) {
        long payload = text.getBytes(StandardCharsets.UTF_8).length;
        long header = payload <= 125 ? 2 : payload <= 65_535 ? 4 : 10;
        return header + payload;
    }
}
