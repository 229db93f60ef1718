package io.carechat.messaging.tck.transport;

import static io.carechat.messaging.tck.transport.KitServer.DOCTOR;
import static io.carechat.messaging.tck.transport.KitServer.PATIENT;
import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.hub.HubSettings;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.model.SendRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The socket rules of the wire contract that every transport adapter must keep, checked on real
 * loopback sockets against the real hub: origin refusal, tokens never in the URL, text frames only,
 * the frame limit, the authentication deadline, token expiry, slow consumers and graceful drain.
 *
 * <p>An adapter's test extends this class and says how to start its server:
 *
 * <pre>{@code
 * class MyTransportTest extends TransportContract {
 *     protected TransportServer transport() {
 *         return (hub, settings) -> { ... start my server for hub with settings ... };
 *     }
 * }
 * }</pre>
 *
 * Each test starts its own hub and server and stops them. The hub runs on in-memory storage, so
 * what is checked is the transport and its use of the hub.
 */
public abstract class TransportContract {
    /** The upgrade path every test uses. */
    protected static final String PATH = "/ws";
    /** The one browser origin allowed to upgrade. */
    protected static final String ALLOWED_ORIGIN = "https://chat.hospital.example";
    /** The frame limit every test uses: the contract's 64 KiB. */
    protected static final int MAX_FRAME = 64 * 1024;

    private static final Duration LIMIT = Duration.ofSeconds(10);

    private KitServer server;

    /**
     * How to start the adapter's server.
     *
     * @return the adapter's starter
     */
    protected abstract TransportServer transport();

    private KitServer start(HubSettings.Builder settings) throws Exception {
        server = new KitServer(transport(), new TransportSettings(PATH, ALLOWED_ORIGIN, MAX_FRAME),
                settings.timerInterval(Duration.ofMillis(20)).build());
        return server;
    }

    private KitServer start() throws Exception {
        return start(HubSettings.builder());
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private RawWebSocket upgrade(String target, Map<String, String> headers) throws IOException {
        return RawWebSocket.upgrade(server.transport.port(), target, headers);
    }

    private RawWebSocket authenticated(Duration tokenLifetime) throws IOException {
        RawWebSocket raw = upgrade(PATH, Map.of("Authorization", "Bearer " + server.token(PATIENT, tokenLifetime)));
        assertThat(raw.status()).isEqualTo(101);
        assertThat(raw.readText()).startsWith("{\"type\":\"ready\"");
        return raw;
    }

    @Test
    @DisplayName("An upgrade from a browser origin not on the allowlist gets HTTP 403 and no session; the listed origin upgrades")
    void foreignOriginIsRefused() throws Exception {
        start();
        try (RawWebSocket raw = upgrade(PATH, Map.of("Origin", "https://evil.example"))) {
            assertThat(raw.status()).isEqualTo(403);
            assertThat(raw.endOfStream()).isTrue();
        }
        try (RawWebSocket raw = upgrade(PATH, Map.of("Origin", ALLOWED_ORIGIN + ":8443"))) {
            assertThat(raw.status()).as("another port is another origin").isEqualTo(403);
        }
        try (RawWebSocket raw = upgrade(PATH, Map.of("Origin", ALLOWED_ORIGIN + "/"))) {
            assertThat(raw.status()).as("origins are compared exactly").isEqualTo(403);
        }
        assertThat(server.hub.openSessions()).isZero();
        try (RawWebSocket raw = upgrade(PATH, Map.of("Origin", ALLOWED_ORIGIN))) {
            assertThat(raw.status()).isEqualTo(101);
        }
    }

    @Test
    @DisplayName("A token in the query string is refused with HTTP 400 before the upgrade, whatever the parameter's name")
    void queryStringTokensAreRefused() throws Exception {
        start();
        String token = server.token(PATIENT, Duration.ofMinutes(15));
        for (String query : new String[] {"token=", "access_token=", "jwt="}) {
            try (RawWebSocket raw = upgrade(PATH + "?" + query + token, Map.of())) {
                assertThat(raw.status()).as(query).isEqualTo(400);
                assertThat(raw.endOfStream()).isTrue();
            }
        }
        assertThat(server.hub.openSessions()).isZero();
    }

    @Test
    @DisplayName("A binary frame closes the socket with 1003: the protocol is text only")
    void binaryFramesAreRefused() throws Exception {
        start();
        try (RawWebSocket raw = authenticated(Duration.ofMinutes(15))) {
            raw.sendFrame(RawWebSocket.BINARY, true, new byte[] {1, 2, 3});
            assertThat(raw.awaitCloseCode()).isEqualTo(1003);
        }
    }

    @Test
    @DisplayName("A frame announcing more than the limit closes the socket with 1009 before its payload arrives")
    void oversizedFrameCloses1009() throws Exception {
        start();
        try (RawWebSocket raw = authenticated(Duration.ofMinutes(15))) {
            raw.sendHeaderAnnouncing(RawWebSocket.TEXT, 10L * 1024 * 1024, 16);
            assertThat(raw.awaitCloseCode()).isEqualTo(1009);
        }
    }

    @Test
    @DisplayName("Fragments count together against the limit (1009), and a frame of exactly the limit is read")
    void limitCoversFragmentsAndAllowsItsOwnSize() throws Exception {
        start();
        try (RawWebSocket raw = authenticated(Duration.ofMinutes(15))) {
            raw.sendText(" ".repeat(MAX_FRAME));
            assertThat(raw.readText()).as("read, and answered as a bad request").contains("\"bad_request\"");
            raw.sendFrame(RawWebSocket.TEXT, false, new byte[MAX_FRAME / 2 + 8]);
            raw.sendFrame(RawWebSocket.CONTINUATION, false, new byte[MAX_FRAME / 2 + 8]);
            assertThat(raw.awaitCloseCode()).isEqualTo(1009);
        }
    }

    @Test
    @DisplayName("A socket that does not authenticate in time is closed with 4408 auth_timeout")
    void authTimeoutCloses4408() throws Exception {
        start(HubSettings.builder().authTimeout(Duration.ofMillis(200)));
        try (RawWebSocket raw = upgrade(PATH, Map.of())) {
            assertThat(raw.status()).isEqualTo(101);
            RawWebSocket.Frame close = raw.awaitClose();
            assertThat(close.closeCode()).isEqualTo(4408);
            assertThat(close.closeReason()).isEqualTo("auth_timeout");
        }
        awaitUntil("the timed-out socket leaves no session", () -> server.hub.openSessions() == 0);
    }

    @Test
    @DisplayName("At token expiry the socket is closed with 4401 token_expired")
    void tokenExpiryCloses4401() throws Exception {
        start();
        try (RawWebSocket raw = authenticated(Duration.ofMinutes(1))) {
            server.clock.advance(Duration.ofMinutes(2));
            RawWebSocket.Frame close = raw.awaitClose();
            assertThat(close.closeCode()).isEqualTo(4401);
            assertThat(close.closeReason()).isEqualTo("token_expired");
        }
        assertThat(server.hub.isOnline(PATIENT)).isFalse();
    }

    @Test
    @DisplayName("A client that stops reading is closed with 4429 slow_consumer within the queue bound")
    void slowConsumerCloses4429() throws Exception {
        start(HubSettings.builder().maxQueuedBytes(64 * 1024));
        Caller doctor = server.caller(DOCTOR);
        Conversation conversation = server.messaging.openDirect(doctor, PATIENT);
        try (RawWebSocket raw = RawWebSocket.upgrade(server.transport.port(), PATH,
                Map.of("Authorization", "Bearer " + server.token(PATIENT, Duration.ofMinutes(15))), 4096)) {
            raw.readText();
            awaitUntil("the patient is online", () -> server.hub.isOnline(PATIENT));
            String body = "x".repeat(8000);
            for (int i = 0; i < 5000 && server.hub.isOnline(PATIENT); i++) {
                server.messaging.send(doctor, new SendRequest(conversation.id(), "m" + i, body, Priority.NORMAL, List.of()));
            }
            assertThat(server.hub.isOnline(PATIENT)).as("closed before 5000 messages of 8 KB").isFalse();
            RawWebSocket.Frame close = raw.awaitClose();
            assertThat(close.closeCode()).isEqualTo(4429);
            assertThat(close.closeReason()).isEqualTo("slow_consumer");
        }
    }

    @Test
    @DisplayName("A slow consumer that is still sending when closed gets the 4429 close frame, not a reset")
    void slowConsumerStillSendingGetsTheCloseFrame() throws Exception {
        start(HubSettings.builder().maxQueuedBytes(64 * 1024));
        Caller doctor = server.caller(DOCTOR);
        Conversation conversation = server.messaging.openDirect(doctor, PATIENT);
        byte[] pings = pings(100);
        try (RawWebSocket raw = RawWebSocket.upgrade(server.transport.port(), PATH,
                Map.of("Authorization", "Bearer " + server.token(PATIENT, Duration.ofMinutes(15))), 4096)) {
            raw.readText();
            awaitUntil("the patient is online", () -> server.hub.isOnline(PATIENT));
            AtomicBoolean closeRead = new AtomicBoolean();
            // Pings written on until the close frame has been read, while messages nobody reads
            // fill the queue: the server decides to close while bytes of the client still arrive.
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                try {
                    while (!closeRead.get()) {
                        raw.sendRaw(pings);
                    }
                } catch (IOException stoppedByServer) {
                    // the server may end the connection once its close frame has gone out
                }
            });
            try {
                String body = "x".repeat(8000);
                for (int i = 0; i < 5000 && server.hub.isOnline(PATIENT); i++) {
                    server.messaging.send(doctor, new SendRequest(conversation.id(), "m" + i, body, Priority.NORMAL, List.of()));
                }
                assertThat(server.hub.isOnline(PATIENT)).as("closed before 5000 messages of 8 KB").isFalse();
                RawWebSocket.Frame close = raw.awaitClose();
                assertThat(close.closeCode()).isEqualTo(4429);
                assertThat(close.closeReason()).isEqualTo("slow_consumer");
            } finally {
                closeRead.set(true);
            }
            writing.get(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private static byte[] pings(int count) {
        ByteArrayOutputStream batch = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            batch.writeBytes(RawWebSocket.maskedFrame(0x81, "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8)));
        }
        return batch.toByteArray();
    }

    @Test
    @DisplayName("A graceful stop refuses new upgrades (503), answers the request in flight, then closes with 1001 server_shutdown")
    void gracefulDrainCloses1001() throws Exception {
        start();
        Conversation conversation = server.messaging.openDirect(server.caller(DOCTOR), PATIENT);
        try (RawWebSocket raw = authenticated(Duration.ofMinutes(15))) {
            server.workers.close();
            awaitUntil("the session's work after ready has finished", server.workers::idle);
            raw.sendText("{\"type\":\"send\",\"ref\":\"s1\",\"conversationId\":\"" + conversation.id().value()
                    + "\",\"clientMsgId\":\"in-flight\",\"body\":\"Your results are in\"}");
            awaitUntil("the hub holds the send", () -> server.workers.heldTasks() > 0);
            CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> server.stopTransport(LIMIT));
            awaitUntil("new upgrades are refused while the send is in flight", () -> upgradeStatus() == 503);
            server.workers.open();

            assertThat(raw.readText()).startsWith("{\"type\":\"sent\",\"ref\":\"s1\"");
            RawWebSocket.Frame close = raw.awaitClose();
            assertThat(close.closeCode()).isEqualTo(1001);
            assertThat(close.closeReason()).isEqualTo("server_shutdown");
            stopped.get(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        assertThat(server.messaging.history(server.caller(PATIENT), conversation.id(), null, 10).messages())
                .hasSize(1);
    }

    private int upgradeStatus() {
        try (RawWebSocket probe = upgrade(PATH, Map.of())) {
            return probe.status();
        } catch (IOException e) {
            return -1;
        }
    }

    private static void awaitUntil(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + LIMIT + ": " + what);
            }
            Thread.sleep(5);
        }
    }
}
