package io.carechat.examples;

import io.carechat.examples.http.AddressRateLimiter;
import io.carechat.messaging.hub.Hub;
import io.carechat.messaging.websocket.CareChatWebSocketServer;
import javax.net.ssl.SSLContext;

/**
 * Starts the WebSocket endpoint {@code /ws} of the demo server on the hub, with the per-address
 * budget of upgrades and the cap on unauthenticated sockets per address. Stateless.
 */
final class WebSocketEndpoint {
    private WebSocketEndpoint() {}

    static CareChatWebSocketServer start(ServerConfig config, Hub hub, SSLContext ssl) {
        CareChatWebSocketServer.Builder builder = CareChatWebSocketServer.builder()
                .host(config.bindAddress())
                .port(config.wsPort())
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
