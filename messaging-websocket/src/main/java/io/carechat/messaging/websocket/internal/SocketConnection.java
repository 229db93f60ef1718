package io.carechat.messaging.websocket.internal;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.hub.Connection;
import io.carechat.messaging.hub.HubSession;
import io.carechat.messaging.protocol.ClientFrame;
import io.carechat.messaging.protocol.FrameException;
import io.carechat.messaging.protocol.ProtocolCodec;
import io.carechat.messaging.protocol.ServerFrame;
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
 * <p>For a graceful shutdown it can be drained: client frames stop reaching the hub and a
 * {@code ping} with a private ref goes after the ones already handed over; since the hub serves a
 * session's frames in order, its {@code pong} (kept from the client) means every earlier request
 * was answered.
 *
 * <p>Not API. Thread-safe: the hub calls it from its threads, the library from its own.
 */
public final class SocketConnection implements Connection {
    private static final ProtocolCodec CODEC = ProtocolCodec.withDefaults();

    private final WebSocket socket;
    private final MeteredChannel channel;
    private final WriteRearmer rearmer;
    private final String id;
    private final @Nullable String remoteAddress;
    private final AtomicLong queued = new AtomicLong();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private final Object inbound = new Object();
    private @Nullable HubSession session;
    private boolean framesHandedOver;
    private volatile @Nullable String drainRef;

    /**
     * Creates the connection for a socket that completed its upgrade.
     *
     * @param socket the library's socket
     * @param channel the socket's channel
     * @param id the id for log lines
     * @param remoteAddress the client's address, or null when unknown
     * @param rearmer what makes sure queued frames get written
     */
    public SocketConnection(WebSocket socket, MeteredChannel channel, String id, @Nullable String remoteAddress,
            WriteRearmer rearmer) {
        this.socket = requireNonNull(socket, "socket");
        this.channel = requireNonNull(channel, "channel");
        this.rearmer = requireNonNull(rearmer, "rearmer");
        this.id = requireNonNull(id, "id");
        this.remoteAddress = remoteAddress;
    }

    /**
     * Links the hub's session; frames reach it from then on.
     *
     * @param value the session
     * @param authenticatesByHeader whether the upgrade carried a token, so the session is busy
     *     authenticating
     */
    public void attach(HubSession value, boolean authenticatesByHeader) {
        synchronized (inbound) {
            this.session = value;
            this.framesHandedOver = authenticatesByHeader;
        }
    }

    /**
     * Hands a client frame to the hub, unless the connection is draining.
     *
     * @param text the frame
     */
    public void onText(String text) {
        synchronized (inbound) {
            HubSession s = session;
            if (s != null && drainRef == null) {
                framesHandedOver = true;
                s.onText(text);
            }
        }
    }

    /** Tells the hub the socket is gone and ends any drain. */
    public void onClosed() {
        HubSession s;
        synchronized (inbound) {
            s = session;
        }
        if (s != null) {
            s.onClose();
        }
        drained.complete(null);
    }

    /**
     * Stops handing client frames to the hub and learns when the hub has answered the ones it has.
     *
     * @param ref a ref no client knows, at most 64 characters
     * @return completed when every frame handed over was served, or the socket closed
     */
    public CompletableFuture<Void> drain(String ref) {
        synchronized (inbound) {
            if (drainRef != null) {
                return drained;
            }
            drainRef = ref;
            HubSession s = session;
            if (s == null || !framesHandedOver || !socket.isOpen()) {
                drained.complete(null);
            } else {
                s.onText(CODEC.encode(new ClientFrame.Ping(ref)));
            }
        }
        return drained;
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
        if (drainRef != null && isDrainAnswer(text)) {
            drained.complete(null);
            return true;
        }
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

    private boolean isDrainAnswer(String text) {
        String ref = drainRef;
        if (ref == null || !text.contains(ref)) {
            return false;
        }
        try {
            ServerFrame frame = CODEC.decodeServer(text);
            return (frame instanceof ServerFrame.Pong p && ref.equals(p.ref()))
                    || (frame instanceof ServerFrame.Error e && ref.equals(e.ref()));
        } catch (FrameException e) {
            return false;
        }
    }

    /** The bytes of an unmasked text frame carrying this text. */
    private static long frameSize(String text) {
        long payload = text.getBytes(StandardCharsets.UTF_8).length;
        long header = payload <= 125 ? 2 : payload <= 65_535 ? 4 : 10;
        return header + payload;
    }
}
