package io.carechat.examples;

import io.carechat.examples.http.AddressRateLimiter;
import io.carechat.messaging.hub.Hub;
import io.carechat.messaging.websocket.CareChatWebSocketServer;
import io.carechat.messaging.websocket.jakarta.CareChatEndpointConfig;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * Builds the WebSocket endpoint {@code /ws} of the demo server on the hub, with the per-address
 * budget of upgrades, the cap on unauthenticated sockets per address, the frame limit and the
 * Origin allowlist: the Jakarta adapter for the HTTP port, and, when {@code CARECHAT_WS_PORT} is
 * set, the Java-WebSocket adapter on that port too. Each adapter has a budget of its own. Stateless.
 */
final class WebSocketEndpoint {
    /** How long a stop waits for answers in flight and close handshakes. */
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

    private WebSocketEndpoint() {}

    /** The Jakarta endpoint that {@link OnePortServer} mounts at {@code /ws} on the HTTP port. */
    static CareChatEndpointConfig onePort(ServerConfig config, Hub hub) {
        CareChatEndpointConfig.Builder builder = CareChatEndpointConfig.builder()
                .hub(hub)
                .path("/ws")
                .maxMessagePayload(config.maxFrameBytes())
                .shutdownGrace(SHUTDOWN_GRACE)
                .upgradeLimiter(new AddressRateLimiter(config.abuse().wsUpgradesPerMinute())::acquire)
                .unauthenticatedSocketsPerAddress(config.abuse().unauthenticatedSocketsPerAddress())
                .sessionCustomizer(OnePortServer::checkFrameLengthsOnArrival);
        config.effectiveAllowedOrigins().forEach(builder::allowOrigin);
        return builder.build();
    }

    /**
     * Starts the Java-WebSocket adapter on {@code CARECHAT_WS_PORT}, which must be set.
     *
     * @throws BindException when the port is in use, found before the adapter's selector thread
     *     would log the failure with a stack trace
     */
    static CareChatWebSocketServer startOnSeparatePort(ServerConfig config, Hub hub, @Nullable SSLContext ssl)
            throws IOException {
        int port = config.wsPort().orElseThrow();
        if (port != 0) {
            try (ServerSocket probe = new ServerSocket()) {
                probe.setReuseAddress(true);
                probe.bind(new InetSocketAddress(config.bindAddress(), port));
            }
        }
        CareChatWebSocketServer.Builder builder = CareChatWebSocketServer.builder()
                .host(config.bindAddress())
                .port(port)
                .path("/ws")
                .hub(hub)
                .maxFramePayload(config.maxFrameBytes())
                .upgradeLimiter(new AddressRateLimiter(config.abuse().wsUpgradesPerMinute())::acquire)
                .unauthenticatedSocketsPerAddress(config.abuse().unauthenticatedSocketsPerAddress());
        config.effectiveAllowedOrigins().forEach(builder::allowOrigin);
        if (ssl != null) {
            builder.sslContext(ssl);
        }
        CareChatWebSocketServer server = builder.build();
        server.start();
        return server;
    }
}
