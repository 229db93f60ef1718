package io.carechat.messaging.websocket;

import static io.carechat.messaging.websocket.ChatServer.ANN;
import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.tck.transport.RawWebSocket;
import io.carechat.messaging.websocket.client.CareChatClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The server checks the upgrade request and every frame's size and kind")
class UpgradeAndFrameLimitsTest {
    private final ChatServer chat = new ChatServer();

    @AfterEach
    void stop() {
        chat.close();
    }

    private RawWebSocket authenticated() throws IOException {
        RawWebSocket raw = RawWebSocket.upgrade(chat.port(), "/ws", Map.of("Authorization", "Bearer " + chat.token(ANN)));
        assertThat(raw.status()).isEqualTo(101);
        assertThat(raw.readText()).startsWith("{\"type\":\"ready\"");
        return raw;
    }

    @Test
    @DisplayName("An upgrade to another path than the configured one is refused with 404")
    void otherPathIsRefused() throws IOException {
        try (RawWebSocket raw = RawWebSocket.upgrade(chat.port(), "/other", Map.of())) {
            assertThat(raw.status()).isEqualTo(404);
        }
        try (RawWebSocket raw = RawWebSocket.upgrade(chat.port(), "/ws/", Map.of())) {
            assertThat(raw.status()).isEqualTo(404);
        }
    }

    @Test
    @DisplayName("A valid W3C traceparent on the upgrade puts its trace id in the socket's log context; a malformed one is ignored")
    void traceParentReachesTheLogContext() throws IOException {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        try (RawWebSocket raw = RawWebSocket.upgrade(chat.port(), "/ws", Map.of("Authorization",
                "Bearer " + chat.token(ANN), "traceparent", "00-" + traceId + "-00f067aa0ba902b7-01"))) {
            assertThat(raw.readText()).startsWith("{\"type\":\"ready\"");
        }
        try (RawWebSocket raw = RawWebSocket.upgrade(chat.port(), "/ws", Map.of("Authorization",
                "Bearer " + chat.token(ANN), "traceparent", "00-not-a-trace-01"))) {
            assertThat(raw.readText()).startsWith("{\"type\":\"ready\"");
        }
        assertThat(chat.traceIdsAtVerification).containsExactly(traceId, "");
    }

    @Test
    @DisplayName("permessage-deflate is not negotiated even when the client offers it")
    void noCompression() throws IOException {
        try (RawWebSocket raw = RawWebSocket.upgrade(chat.port(), "/ws",
                Map.of("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits"))) {
            assertThat(raw.status()).isEqualTo(101);
            assertThat(raw.responseHead().toLowerCase(java.util.Locale.ROOT)).doesNotContain("sec-websocket-extensions");
        }
    }

    @Test
    @DisplayName("A frame that is not JSON gets error bad_request and the socket stays open")
    void badJsonKeepsSocketOpen() throws IOException {
        try (RawWebSocket raw = authenticated()) {
            raw.sendText("{not json");
            assertThat(raw.readText()).contains("\"type\":\"error\"").contains("\"bad_request\"");
            raw.sendText("{\"type\":\"ping\",\"ref\":\"p1\"}");
            assertThat(raw.readText()).isEqualTo("{\"type\":\"pong\",\"ref\":\"p1\"}");
        }
    }

    @Test
    @DisplayName("A client frame without a mask closes the socket with 1002, also when its header comes in pieces after masked frames")
    void unmaskedFrameIsRefused() throws IOException {
        try (RawWebSocket raw = authenticated()) {
            raw.sendText("{\"type\":\"ping\",\"ref\":\"masked\"}");
            assertThat(raw.readText()).isEqualTo("{\"type\":\"pong\",\"ref\":\"masked\"}");
            byte[] payload = "{\"type\":\"ping\",\"ref\":\"unmasked\"}".getBytes(StandardCharsets.UTF_8);
            raw.sendRaw(new byte[] {(byte) 0x81});
            raw.sendRaw(new byte[] {(byte) payload.length});
            raw.sendRaw(payload);
            assertThat(raw.awaitCloseCode()).isEqualTo(1002);
        }
    }

    @Test
    @DisplayName("Masked frames of every length form, split anywhere, pass the mask check")
    void maskedFramesOfEveryLengthPass() throws IOException {
        try (RawWebSocket raw = authenticated()) {
            for (int padding : new int[] {0, 200, 60_000}) {
                String text = "{\"type\":\"ping\",\"ref\":\"" + "p".repeat(padding) + "\"}";
                byte[] frame = RawWebSocket.maskedFrame(0x81, text.getBytes(StandardCharsets.UTF_8));
                for (int at = 0; at < frame.length; at += 3) {
                    raw.sendRaw(java.util.Arrays.copyOfRange(frame, at, Math.min(frame.length, at + 3)));
                }
                // answered (a long ref is refused with bad_request): the frame passed the checks whole
                assertThat(raw.readText()).as("a ping of %d padding bytes", padding).startsWith("{\"type\":");
            }
            raw.sendText("{\"type\":\"ping\",\"ref\":\"after\"}");
            assertThat(raw.readText()).isEqualTo("{\"type\":\"pong\",\"ref\":\"after\"}");
        }
    }

    @Test
    @DisplayName("A close frame whose reason is not UTF-8 closes the socket with 1007")
    void closeReasonMustBeUtf8() throws IOException {
        try (RawWebSocket raw = authenticated()) {
            raw.sendRaw(RawWebSocket.maskedFrame(0x88, new byte[] {0x03, (byte) 0xe8, (byte) 0xff, (byte) 0xfe}));
            assertThat(raw.awaitCloseCode()).isEqualTo(1007);
        }
    }

    @Test
    @DisplayName("The client reports a refused upgrade with its HTTP status and does not retry when told not to")
    void clientSeesForbiddenOrigin() {
        Recorder hears = new Recorder();
        CareChatClient client = chat.client(ANN, hears, b -> b.origin("https://evil.example").reconnect(false));
        Throwable failure = Await.failure(client.connect());
        assertThat(failure).isInstanceOf(java.net.http.WebSocketHandshakeException.class);
        assertThat(((java.net.http.WebSocketHandshakeException) failure).getResponse().statusCode()).isEqualTo(403);
        assertThat(hears.awaitDisconnect()).isEqualTo(new Recorder.Disconnect(1006, "http_403"));
    }

    @Test
    @DisplayName("A peer that stops answering pings is dropped after the connection-lost timeout")
    void deadPeerIsDropped() throws IOException {
        try (ChatServer quick = new ChatServer(io.carechat.messaging.hub.HubSettings.defaults(),
                        b -> b.connectionLostTimeout(java.time.Duration.ofSeconds(1)));
                RawWebSocket raw = RawWebSocket.upgrade(quick.port(), "/ws",
                        Map.of("Authorization", "Bearer " + quick.token(ANN)))) {
            raw.readText();
            Await.until("ann is online", () -> quick.hub.isOnline(ANN));
            Await.until("the silent socket is dropped", () -> quick.server.openSockets() == 0);
            // The socket count drops on the selector thread; the hub hears of the close right after.
            Await.until("ann is offline once her only socket is gone", () -> !quick.hub.isOnline(ANN));
        }
    }
}
