package io.carechat.messaging.hub;

import io.carechat.messaging.protocol.ProtocolCodec;
import io.carechat.messaging.protocol.ServerFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A real, in-memory implementation of the {@link Connection} SPI for tests: it records every frame
 * sent and the close, and calls the session's {@code onClose} as a transport would. It can stall
 * like a client that stopped reading: then every frame stays queued and counts in
 * {@link #queuedBytes()}.
 */
final class RecordingConnection implements Connection {
    private static final ProtocolCodec CODEC = ProtocolCodec.withDefaults();

    private final String id;
    private final List<String> texts = new ArrayList<>();
    private @Nullable HubSession session;
    private boolean stalled;
    private long queued;
    private int closeCode;
    private @Nullable String closeReason;

    RecordingConnection(String id) {
        this.id = id;
    }

    synchronized void attach(HubSession value) {
        this.session = value;
    }

    synchronized void stall() {
        stalled = true;
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
    public synchronized boolean send(String text) {
        if (closeReason != null) {
            return false;
        }
        texts.add(text);
        if (stalled) {
            queued += Utf8.length(text);
        }
        return true;
    }

    @Override
    public synchronized long queuedBytes() {
        return queued;
    }

    @Override
    public void close(int code, String reason) {
        HubSession toNotify;
        synchronized (this) {
            if (closeReason != null) {
                return;
            }
            closeCode = code;
            closeReason = reason;
            toNotify = session;
        }
        if (toNotify != null) {
            toNotify.onClose();
        }
    }

    synchronized boolean isClosed() {
        return closeReason != null;
    }

    synchronized int closeCode() {
        return closeCode;
    }

    synchronized @Nullable String closeReason() {
        return closeReason;
    }

    synchronized List<String> texts() {
        return List.copyOf(texts);
    }

    List<ServerFrame> frames() {
        return texts().stream().map(CODEC::decodeServer).toList();
    }

    <T extends ServerFrame> List<T> frames(Class<T> type) {
        return frames().stream().filter(type::isInstance).map(type::cast).toList();
    }

    boolean received(Predicate<ServerFrame> condition) {
        return frames().stream().anyMatch(condition);
    }

    synchronized void clear() {
        texts.clear();
    }
}
