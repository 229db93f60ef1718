package io.carechat.messaging.websocket.client;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection attempt of the Java client, on the JDK's {@link WebSocket}: it upgrades with the
 * token in the {@code Authorization: Bearer} header (never in the URL) and the {@code Origin} when
 * one is set, reassembles text frames up to a bound, sends text frames one after another, and
 * reports what happens to its {@link Events}. Binary frames are ignored.
 *
 * <p>Not API. Thread-safe. Lifecycle: created, {@linkplain #open opened} once, and over when
 * {@link Events#closed} reports its end (a failed upgrade included) or after {@link #close}.
 */
final class ClientSocket {
    private static final Logger LOG = LoggerFactory.getLogger(ClientSocket.class);
    /** The longest server frame accepted, in characters; a history page stays far below it. */
    private static final int MAX_FRAME_CHARS = 32 * 1024 * 1024;
    /** How long a close waits for the close handshake before dropping the connection. */
    private static final long CLOSE_TIMEOUT_SECONDS = 2;

    /**
     * Where a client connects to; immutable.
     *
     * @param http the HTTP client, with its TLS context
     * @param uri the endpoint, {@code ws://} or {@code wss://}, without a query string
     * @param origin the {@code Origin} header to send, or null for none
     * @param connectTimeout how long an upgrade may take
     */
    public record Endpoint(HttpClient http, URI uri, @Nullable String origin, Duration connectTimeout) {
        /** Checks the fields. */
        public Endpoint {
            requireNonNull(http, "http");
            requireNonNull(uri, "uri");
            requireNonNull(connectTimeout, "connectTimeout");
        }
    }

    /** What a socket reports, on the JDK's threads; implementations must not block. */
    public interface Events {

        /**
         * The upgrade succeeded.
         *
         * @param socket the socket
         * @return false to have the socket aborted at once, for instance when it is no longer
         *     wanted
         */
        boolean opened(ClientSocket socket);

        /**
         * A whole text frame arrived.
         *
         * @param socket the socket
         * @param text the frame
         */
        void text(ClientSocket socket, String text);

        /**
         * The socket is gone or could not be made. May be reported more than once for one socket.
         *
         * @param socket the socket
         * @param code the close code, 1006 when there was no close frame
         * @param reason the close reason, such as {@code http_403} when the upgrade was refused;
         *     empty when none
         * @param cause the failure, or null for a close frame
         */
        void closed(ClientSocket socket, int code, String reason, @Nullable Throwable cause);
    }

    private final Events events;
    private final StringBuilder partial = new StringBuilder();
    private volatile @Nullable WebSocket webSocket;
    private CompletableFuture<Void> outbound = CompletableFuture.completedFuture(null);

    /**
     * Creates a socket, not yet open.
     *
     * @param events where to report
     */
    public ClientSocket(Events events) {
        this.events = requireNonNull(events, "events");
    }

    /**
     * Starts the upgrade with a token from the supplier; returns at once. A token supplier that
     * fails and an upgrade that fails are both reported as {@link Events#closed} with 1006.
     *
     * @param endpoint where to connect
     * @param tokens gives the access token
     */
    public void open(Endpoint endpoint, Supplier<String> tokens) {
        try {
            String token = requireNonNull(tokens.get(), "the token supplier returned null");
            WebSocket.Builder builder = endpoint.http().newWebSocketBuilder()
                    .connectTimeout(endpoint.connectTimeout())
                    .header("Authorization", "Bearer " + token);
            if (endpoint.origin() != null) {
                builder.header("Origin", endpoint.origin());
            }
            builder.buildAsync(endpoint.uri(), new Listener()).whenComplete((ws, e) -> {
                if (e != null) {
                    connectFailed(e);
                }
            });
        } catch (RuntimeException e) {
            connectFailed(e);
        }
    }

    /**
     * Queues a text frame after the ones queued before; does nothing before the socket is open.
     * A frame that cannot be sent is dropped: the socket is failing and will report its end.
     *
     * @param text the frame
     */
    public void send(String text) {
        WebSocket ws = webSocket;
        if (ws == null) {
            return;
        }
        synchronized (this) {
            outbound = outbound.thenCompose(x -> ws.sendText(text, true)).handle((x, e) -> {
                if (e != null) {
                    LOG.debug("a frame could not be sent ({})", e.getClass().getName());
                }
                return null;
            });
        }
    }

    /**
     * Closes after the frames already queued, and drops the connection if the close handshake
     * does not finish in time. A socket not open yet is left to its {@link Events#opened} answer.
     *
     * @param code the close code
     * @param reason the close reason
     */
    public void close(int code, String reason) {
        WebSocket ws = webSocket;
        if (ws == null) {
            return;
        }
        CompletableFuture<Void> lastSend;
        synchronized (this) {
            lastSend = outbound;
        }
        lastSend.thenCompose(x -> ws.sendClose(code, reason))
                .orTimeout(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .whenComplete((x, e) -> ws.abort());
    }

    /** Drops the connection at once, without a close handshake; its end is reported by the caller. */
    public void abort() {
        WebSocket ws = webSocket;
        if (ws != null) {
            ws.abort();
        }
    }

    private void connectFailed(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        String reason = cause instanceof WebSocketHandshakeException h
                ? "http_" + h.getResponse().statusCode() : "connect_failed";
        LOG.debug("connecting failed ({}, {})", reason, cause.getClass().getName());
        events.closed(this, 1006, reason, cause);
    }

    /** The JDK WebSocket's listener for this attempt. */
    private final class Listener implements WebSocket.Listener {
        @Override
        public void onOpen(WebSocket ws) {
            webSocket = ws;
            if (!events.opened(ClientSocket.this)) {
                ws.abort();
                return;
            }
            ws.request(1);
        }

        @Override
        public @Nullable CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (partial.length() > MAX_FRAME_CHARS) {
                partial.setLength(0);
                ws.abort();
                events.closed(ClientSocket.this, 1009, "frame_too_large", null);
                return null;
            }
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                events.text(ClientSocket.this, text);
            }
            ws.request(1);
            return null;
        }

        @Override
        public @Nullable CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            ws.request(1);
            return null;
        }

        @Override
        public @Nullable CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            events.closed(ClientSocket.this, statusCode, reason, null);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            events.closed(ClientSocket.this, 1006, "", error);
        }
    }
}
