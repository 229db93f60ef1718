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
 * wrapped factory makes (plain or TLS), and hands each new connection to an {@link UpgradeTimeout}.
 *
 * <p>Not API. Thread-safe as far as the wrapped factory is.
 */
public final class MeteredServerFactory implements WebSocketServerFactory {
    private final WebSocketServerFactory delegate;
    private final UpgradeTimeout upgradeTimeout;

    /**
     * Wraps a factory.
     *
     * @param delegate the library's plain or TLS factory
     * @param upgradeTimeout closes connections whose upgrade is not answered in time
     */
    public MeteredServerFactory(WebSocketServerFactory delegate, UpgradeTimeout upgradeTimeout) {
        this.delegate = requireNonNull(delegate, "delegate");
        this.upgradeTimeout = requireNonNull(upgradeTimeout, "upgradeTimeout");
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
        MeteredChannel metered = new MeteredChannel(delegate.wrapChannel(channel, key));
        upgradeTimeout.watch(channel, key, metered);
        return metered;
    }

    @Override
    public void close() {
        delegate.close();
    }
}
