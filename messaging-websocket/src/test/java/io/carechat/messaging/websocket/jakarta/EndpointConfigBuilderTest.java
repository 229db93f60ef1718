package io.carechat.messaging.websocket.jakarta;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.error.ConfigurationException;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The Jakarta endpoint's builder checks every value and reports all problems together")
class EndpointConfigBuilderTest {
    @Test
    @DisplayName("No hub, a bad path, payload limit, origin, timeouts and cap are all listed")
    void reportsAllProblems() {
        assertThatThrownBy(() -> CareChatEndpointConfig.builder()
                        .path("ws?x=1")
                        .maxMessagePayload(10)
                        .allowOrigin("https://chat.example/")
                        .connectionLostTimeout(Duration.ofMillis(500))
                        .sendTimeout(Duration.ZERO)
                        .unauthenticatedSocketsPerAddress(0)
                        .build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("hub")
                .hasMessageContaining("path")
                .hasMessageContaining("maxMessagePayload")
                .hasMessageContaining("origins")
                .hasMessageContaining("connectionLostTimeout")
                .hasMessageContaining("sendTimeout")
                .hasMessageContaining("unauthenticatedSocketsPerAddress");
    }
}
