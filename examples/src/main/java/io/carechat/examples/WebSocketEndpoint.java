package io.carechat.examples;

import io.carechat.messaging.hub.Hub;
import io.carechat.messaging.websocket.CareChatWebSocketServer;
import javax.net.ssl.SSLContext;

/** Starts the WebSocket endpoint {@code /ws} of the demo server on the hub. */
final class WebSocketEndpoint {
    private WebSocketEndpoint() {}

    static CareChatWebSocketServer start(ServerConfig config, Hub hub, SSLContext ssl) {
        CareChatWebSocketServer.Builder builder = CareChatWebSocketServer.builder()
                .host(config.bindAddress())
                .port(config.wsPort())
                .path("/ws")
                .hub(hub)
                .maxFramePayload(config.maxFrameBytes());
        config.effectiveAllowedOrigins().forEach(builder::allowOrigin);
        if (ssl != null) {
            builder.sslContext(ssl);
        }
        CareChatWebSocketServer server = builder.build();
        server.start();
        return server;
    }
}
