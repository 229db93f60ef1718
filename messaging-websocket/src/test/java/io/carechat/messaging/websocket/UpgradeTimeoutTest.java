package io.carechat.messaging.websocket;

import static io.carechat.messaging.websocket.ChatServer.ANN;
import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.hub.HubSettings;
import io.carechat.messaging.tck.transport.RawWebSocket;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The regression tests of the upgrade timeout: before it, a connection that never completed its
 * upgrade request was never closed, because Java-WebSocket watches only upgraded sockets.
 */
@DisplayName("Connections that never complete their upgrade are closed by the upgrade timeout")
class UpgradeTimeoutTest {
    private static final Duration UPGRADE_TIMEOUT = Duration.ofMillis(500);
    private final ChatServer chat = new ChatServer(HubSettings.builder().timerInterval(Duration.ofMillis(50)).build(),
            b -> b.upgradeTimeout(UPGRADE_TIMEOUT));

    @AfterEach
    void stop() {
        chat.close();
    }

    @Test
    @DisplayName("a connection that sends nothing is closed")
    void silentConnectionIsClosed() throws IOException {
        try (Socket socket = connect()) {
            assertThat(closedByServer(socket.getInputStream())).isTrue();
        }
    }

    @Test
    @DisplayName("a connection that sends only part of its upgrade request, a byte at a time, is closed")
    void partialUpgradeIsClosed() throws IOException {
        try (Socket socket = connect()) {
            socket.setSoTimeout(100);
            byte[] head = ("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nX-Slow: "
                    + "a".repeat(2_000)).getBytes(StandardCharsets.US_ASCII);
            boolean closed = false;
            for (int i = 0; i < head.length && !closed; i++) {
                try {
                    socket.getOutputStream().write(head[i]);
                    closed = socket.getInputStream().read() == -1;
                } catch (SocketTimeoutException stillOpen) {
                    // next byte
                } catch (IOException reset) {
                    closed = true;
                }
            }
            assertThat(closed).as("closed before its 2,000 bytes of headers were sent, one per 100 ms").isTrue();
        }
    }

    @Test
    @DisplayName("an upgraded socket outlives the upgrade timeout: only the hub's own timeouts apply to it")
    void upgradedSocketStaysOpen() throws Exception {
        try (RawWebSocket raw = RawWebSocket.upgrade(chat.port(), "/ws", Map.of("Authorization", "Bearer " + chat.token(ANN)))) {
            assertThat(raw.status()).isEqualTo(101);
            assertThat(raw.readText()).startsWith("{\"type\":\"ready\"");
            Thread.sleep(3 * UPGRADE_TIMEOUT.toMillis());
            raw.sendText("{\"type\":\"ping\",\"ref\":\"p\"}");
            assertThat(raw.readText()).isEqualTo("{\"type\":\"pong\",\"ref\":\"p\"}");
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", chat.port()), 5_000);
        socket.setSoTimeout((int) RawWebSocket.READ_TIMEOUT.toMillis());
        return socket;
    }

    private static boolean closedByServer(InputStream in) throws IOException {
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }
}
