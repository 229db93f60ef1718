package io.carechat.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.examples.Http.Answer;
import io.carechat.messaging.tck.transport.RawWebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo as the README starts it serves the web UI, the API and the chat socket on one port; with
 * {@code CARECHAT_WS_PORT} set, the Java-WebSocket adapter also answers on its own port and the web
 * UI is sent there, while the one port keeps its {@code /ws}.
 */
class OnePortIT {
    @TempDir
    Path workDir;

    @Test
    @DisplayName("the web UI, the API and the WebSocket endpoint /ws all answer on CARECHAT_HTTP_PORT")
    void everythingOnOnePort() throws Exception {
        try (DemoProcess server = DemoProcess.start(Files.createDirectories(workDir.resolve("one")), Map.of())) {
            Http http = new Http(server.baseUrl());
            Answer page = http.get("/", null);
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.contentType()).startsWith("text/html");
            assertThat(http.get("/js/socket.js", null).status()).as("the UI's scripts").isEqualTo(200);
            Answer config = http.get("/api/config", null);
            assertThat(config.body().path("wsUrl").asText()).as("the web UI is sent to the same port")
                    .isEqualTo("ws://localhost:" + server.httpPort + "/ws");
            assertThat(config.body().path("passwordLogin").asBoolean()).as("password sign-in unless external-only")
                    .isTrue();
            assertThat(server.log()).contains("WebSocket endpoint: ws://localhost:" + server.httpPort + "/ws");

            String token = http.login("sam", Seeding.DEMO_PASSWORD);
            try (RawWebSocket socket = RawWebSocket.upgrade(server.httpPort, "/ws",
                    Map.of("Authorization", "Bearer " + token))) {
                assertThat(socket.status()).isEqualTo(101);
                assertThat(socket.readText()).contains("\"ready\"");
            }
            try (RawWebSocket refused = RawWebSocket.upgrade(server.httpPort, "/ws?access_token=x", Map.of())) {
                assertThat(refused.status()).as("no token in a URL, on the one port too").isEqualTo(400);
            }
        }
    }

    @Test
    @DisplayName("with CARECHAT_WS_PORT set, both adapters serve /ws and the web UI uses the separate port")
    void separateSocketPortToo() throws Exception {
        try (DemoProcess server = DemoProcess.start(Files.createDirectories(workDir.resolve("two")),
                Map.of("CARECHAT_WS_PORT", DemoProcess.FREE_PORT))) {
            assertThat(server.wsPort).isNotEqualTo(server.httpPort);
            Http http = new Http(server.baseUrl());
            assertThat(http.get("/api/config", null).body().path("wsUrl").asText())
                    .isEqualTo("ws://localhost:" + server.wsPort + "/ws");
            String token = http.login("alex", Seeding.DEMO_PASSWORD);
            for (int port : new int[] {server.wsPort, server.httpPort}) {
                try (RawWebSocket socket = RawWebSocket.upgrade(port, "/ws", Map.of("Authorization", "Bearer " + token))) {
                    assertThat(socket.readText()).as("the socket on port %d", port).contains("\"ready\"");
                }
            }
        }
    }
}
