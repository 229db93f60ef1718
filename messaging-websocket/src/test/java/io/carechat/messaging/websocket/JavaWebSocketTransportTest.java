package io.carechat.messaging.websocket;

import io.carechat.messaging.tck.transport.RunningTransport;
import io.carechat.messaging.tck.transport.TransportContract;
import io.carechat.messaging.tck.transport.TransportServer;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;

@DisplayName("The Java-WebSocket adapter keeps the transport contract")
class JavaWebSocketTransportTest extends TransportContract {
    @Override
    protected TransportServer transport() {
        return (hub, settings) -> {
            CareChatWebSocketServer server = CareChatWebSocketServer.builder()
                    .host("127.0.0.1")
                    .port(0)
                    .path(settings.path())
                    .allowOrigin(settings.allowedOrigin())
                    .maxFramePayload(settings.maxFramePayload())
                    .hub(hub)
                    .daemon(true)
                    .build();
            server.start();
            return new RunningTransport() {
                @Override
                public int port() {
                    return server.port();
                }

                @Override
                public void stop(Duration grace) {
                    server.stop(grace);
                }
            };
        };
    }
}
