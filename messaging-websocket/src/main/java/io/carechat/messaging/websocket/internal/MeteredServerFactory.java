package io.carechat.messaging.websocket.internal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.List;
import org.java_websocket.WebSocketAdapter;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.WebSocketServerFactory;
import org.java_websocket.drafts.Draft;

/**
 * A socket factory for Java-WebSocket that puts a {@link MeteredChannel} around every channel the
 * wrapped factory makes (plain or TLS), closing through a {@link LingeringClose}, and hands each
 * new connection to an {@link UpgradeTimeout}.
 *
 * <p>Not API. Thread-safe as far as the wrapped factory is.
 */
public final class MeteredServerFactory implements WebSocketServerFactory {
    private final WebSocketServerFactory delegate;
    private final UpgradeTimeout upgradeTimeout;
    private final LingeringClose closer;

    /**
     * Wraps a factory.
     *
     * @param delegate the library's plain or TLS factory
     * @param upgradeTimeout closes connections whose upgrade is not answered in time
     * @param closer closes plain sockets once their peer has read what was written
     */
    public MeteredServerFactory(WebSocketServerFactory delegate, UpgradeTimeout upgradeTimeout, LingeringClose closer) {
        this.delegate = requireNonNull(delegate, "delegate");
        this.upgradeTimeout = requireNonNull(upgradeTimeout, "upgradeTimeout");
        this.closer = requireNonNull(closer, "closer");
    }

    @Override
    public WebSocketImpl createWebSocket(WebSocketAdapter adapter, Draft draft) {
        return delegate.createWebSocket(adapter, draft);
    }

    @Override
    public WebSocketImpl createWebSocket(WebSocketAdapter adapter, List<Draft> drafts) {
        return delegate.createWebSocket(adapter, drafts);
    }

    @Override
    public ByteChannel wrapChannel(SocketChannel channel, SelectionKey key) throws IOException {
        MeteredChannel metered = new MeteredChannel(delegate.wrapChannel(channel, key), channel, closer);
        upgradeTimeout.watch(channel, key, metered);
        return metered;
    }

    @Override
    public void close() {
        delegate.close();
    }
}
