package io.carechat.messaging.websocket.jakarta;

import io.carechat.messaging.tck.transport.RunningTransport;
import io.carechat.messaging.tck.transport.TransportContract;
import io.carechat.messaging.tck.transport.TransportServer;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;

@DisplayName("The Jakarta WebSocket adapter keeps the transport contract on Jetty 12")
class JettyJakartaTransportTest extends TransportContract {
    @Override
    protected TransportServer transport() {
        return (hub, settings) -> {
            CareChatEndpointConfig endpoint = CareChatEndpointConfig.builder()
                    .hub(hub)
                    .path(settings.path())
                    .allowOrigin(settings.allowedOrigin())
                    .maxMessagePayload(settings.maxFramePayload())
                    .sessionCustomizer(JettyHost::checkFrameLengthsOnArrival)
                    .build();
            JettyHost jetty = JettyHost.start(endpoint);
            return new RunningTransport() {
                @Override
                public int port() {
                    return jetty.port();
                }

                @Override
                public void stop(Duration grace) {
                    endpoint.stop(grace);
                    jetty.close();
                }
            };
        };
    }
}
