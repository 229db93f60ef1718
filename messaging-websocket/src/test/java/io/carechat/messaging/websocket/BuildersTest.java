package io.carechat.messaging.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.error.ConfigurationException;
import io.carechat.messaging.websocket.client.CareChatClient;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The builders check every value and report all problems together")
class BuildersTest {

    @Test
    @DisplayName("A server without a hub, with a bad port, path, payload limit and origin lists every problem")
    void serverBuilderReportsAllProblems() {
        assertThatThrownBy(() -> CareChatWebSocketServer.builder()
                        .port(70_000)
                        .path("ws?x=1")
                        .maxFramePayload(10)
                        .allowOrigin("https://chat.example/")
                        .connectionLostTimeout(Duration.ofMillis(500))
                        .build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("hub")
                .hasMessageContaining("port")
                .hasMessageContaining("path")
                .hasMessageContaining("maxFramePayload")
                .hasMessageContaining("origins")
                .hasMessageContaining("connectionLostTimeout");
    }

    @Test
    @DisplayName("A client URI with a query string is refused: tokens never travel in a URL")
    void clientRefusesQueryString() {
        assertThatThrownBy(() -> CareChatClient.builder()
                        .uri(URI.create("ws://127.0.0.1:1/ws?token=abc"))
                        .tokenSupplier(() -> "t")
                        .build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("query");
    }

    @Test
    @DisplayName("A client without a URI or token supplier, or with backwards backoff, lists every problem")
    void clientBuilderReportsAllProblems() {
        assertThatThrownBy(() -> CareChatClient.builder()
                        .backoff(Duration.ofSeconds(5), Duration.ofSeconds(1))
                        .build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("uri")
                .hasMessageContaining("tokenSupplier")
                .hasMessageContaining("backoff");
    }

    @Test
    @DisplayName("A server's port is known only once it is started, and a server starts once")
    void portAfterStart() {
        try (ChatServer chat = new ChatServer()) {
            CareChatWebSocketServer notStarted = CareChatWebSocketServer.builder().port(0).hub(chat.hub).build();
            assertThatThrownBy(notStarted::port).isInstanceOf(IllegalStateException.class);
            assertThat(chat.server.port()).isPositive();
            assertThatThrownBy(chat.server::start).isInstanceOf(IllegalStateException.class);
        }
    }
}
