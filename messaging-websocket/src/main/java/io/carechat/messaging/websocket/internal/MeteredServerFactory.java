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
 * wrapped factory makes (plain or TLS).
 *
 * <p>Not API. Thread-safe as far as the wrapped factory is.
 */
public final class MeteredServerFactory implements WebSocketServerFactory {
    private final WebSocketServerFactory delegate;

    /**
     * Wraps a factory.
     *
     * @param delegate the library's plain or TLS factory
     */
    public MeteredServerFactory(WebSocketServerFactory delegate) {
        this.delegate = requireNonNull(delegate, "delegate");
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
        return new MeteredChannel(delegate.wrapChannel(channel, key));
    }

    @Override
    public void close() {
        delegate.close();
    }
}
