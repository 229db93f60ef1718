package io.carechat.benchmarks.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One client WebSocket of the benchmark on the JDK's {@link java.net.http.WebSocket}: it reads
 * every frame as soon as it arrives, stamps it with {@link System#nanoTime()} and hands it, whole,
 * to its {@link Handler}; it sends through a {@link FrameSender}. Thread-safe. Lifecycle: {@link
 * #connect}, then {@link #close()} once.
 */
final class ClientSocket implements WebSocket.Listener {

    /** What to do with each whole text frame; called on the client's threads, one frame at a time. */
    @FunctionalInterface
    interface Handler {
        /**
         * @param socket the socket that received it, to answer on
         * @param frame the frame, valid only during the call
         * @param receivedNanos when its last part arrived
         */
        void onFrame(ClientSocket socket, CharSequence frame, long receivedNanos);
    }

    private final Handler handler;
    private final StringBuilder partial = new StringBuilder();
    private volatile FrameSender sender;
    private volatile WebSocket socket;
    private volatile boolean closed;

    private ClientSocket(Handler handler) {
        this.handler = handler;
    }

    /**
     * Opens a socket.
     *
     * @param client the HTTP client whose selector thread serves it
     * @param uri a {@code ws://} address on loopback
     * @param headers upgrade request headers
     * @param handler what to do with frames
     * @return the socket once the upgrade succeeded
     */
    static CompletableFuture<ClientSocket> connect(HttpClient client, URI uri, Map<String, String> headers,
            Handler handler) {
        ClientSocket listener = new ClientSocket(handler);
        WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        headers.forEach(builder::header);
        return builder.buildAsync(uri, listener).thenApply(ws -> listener);
    }

    /** @return the sender of this socket */
    FrameSender sender() {
        return sender;
    }

    /** @return whether the server closed the socket or it failed */
    boolean isClosed() {
        return closed;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        this.socket = webSocket;
        this.sender = new FrameSender(webSocket);
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        long now = System.nanoTime();
        if (!last) {
            partial.append(data);
        } else if (partial.length() == 0) {
            handler.onFrame(this, data, now);
        } else {
            partial.append(data);
            String whole = partial.toString();
            partial.setLength(0);
            handler.onFrame(this, whole, now);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed = true;
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed = true;
    }

    /** Closes the socket without waiting for the server. */
    void close() {
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
    }
}
