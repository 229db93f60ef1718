package io.carechat.messaging.jdbc;

import io.carechat.messaging.hub.Connection;
import io.carechat.messaging.hub.HubSession;
import io.carechat.messaging.protocol.ClientFrame;
import io.carechat.messaging.protocol.ProtocolCodec;
import io.carechat.messaging.protocol.ServerFrame;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * A client socket as a hub sees it, in memory: it records every frame the hub sends, decoded, and
 * feeds the client's frames to the hub's session. Thread-safe.
 */
final class TestSocket implements Connection {
    private static final ProtocolCodec CODEC = ProtocolCodec.withDefaults();

    private final String id;
    private final List<ServerFrame> frames = new CopyOnWriteArrayList<>();
    private volatile @Nullable HubSession session;
    private volatile @Nullable String closeReason;

    TestSocket(String id) {
        this.id = id;
    }

    void attach(HubSession value) {
        this.session = value;
    }

    /** Sends a client frame to the hub. */
    void send(ClientFrame frame) {
        HubSession s = session;
        if (s == null) {
            throw new IllegalStateException("not attached");
        }
        s.onText(CODEC.encode(frame));
    }

    List<ServerFrame> frames() {
        return List.copyOf(frames);
    }

    <T extends ServerFrame> List<T> frames(Class<T> type) {
        return frames.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The seqs of the message frames received, in arrival order. */
    List<Long> messageSeqs() {
        return frames(ServerFrame.Message.class).stream().map(m -> m.message().seq()).toList();
    }

    @Nullable String closeReason() {
        return closeReason;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public @Nullable String remoteAddress() {
        return "127.0.0.1";
    }

    @Override
    public boolean send(String text) {
        if (closeReason != null) {
            return false;
        }
        frames.add(CODEC.decodeServer(text));
        return true;
    }

    @Override
    public void close(int code, String reason) {
        if (closeReason == null) {
            closeReason = code + " " + reason;
            HubSession s = session;
            if (s != null) {
                s.onClose();
            }
        }
    }
}
