package io.carechat.messaging.websocket.jakarta;

import static io.carechat.messaging.websocket.jakarta.LoopbackHub.DOCTOR;
import static io.carechat.messaging.websocket.jakarta.LoopbackHub.PATIENT;
import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.protocol.MessageView;
import io.carechat.messaging.tck.transport.RawWebSocket;
import io.carechat.messaging.websocket.client.CareChatClient;
import io.carechat.messaging.websocket.client.CareChatListener;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Users chat through the Jakarta endpoint on Jetty with the Java client")
class ChatOverJakartaOnJettyTest {
    private static final long WAIT_SECONDS = 10;

    private final LoopbackHub loopback = new LoopbackHub();
    private final List<AutoCloseable> toClose = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        loopback.close();
    }

    private CareChatEndpointConfig endpoint() {
        return endpoint(Duration.ofSeconds(60));
    }

    private CareChatEndpointConfig endpoint(Duration connectionLostTimeout) {
        CareChatEndpointConfig endpoint = CareChatEndpointConfig.builder()
                .hub(loopback.hub)
                .connectionLostTimeout(connectionLostTimeout)
                .allowOrigin("https://chat.hospital.example")
                .sessionCustomizer(JettyHost::checkFrameLengthsOnArrival)
                .build();
        toClose.add(endpoint::close);
        return endpoint;
    }

    private CareChatClient client(URI uri, io.carechat.messaging.model.UserId user, CareChatListener listener) throws Exception {
        CareChatClient client = CareChatClient.builder()
                .uri(uri)
                .tokenSupplier(() -> loopback.token(user))
                .listener(listener)
                .requestTimeout(Duration.ofSeconds(WAIT_SECONDS))
                .build();
        toClose.add(client::close);
        client.connect().get(WAIT_SECONDS, TimeUnit.SECONDS);
        return client;
    }

    @Test
    @DisplayName("A doctor and a patient exchange messages live over the Jakarta endpoint, and both see the history")
    void liveExchange() throws Exception {
        CareChatEndpointConfig endpoint = endpoint();
        JettyHost jetty = JettyHost.start(endpoint);
        toClose.add(0, jetty);
        URI uri = URI.create("ws://127.0.0.1:" + jetty.port() + endpoint.path());
        List<String> doctorHears = new CopyOnWriteArrayList<>();
        List<String> patientHears = new CopyOnWriteArrayList<>();
        CareChatClient doctor = client(uri, DOCTOR, bodiesInto(doctorHears));
        CareChatClient patient = client(uri, PATIENT, bodiesInto(patientHears));

        Conversation conversation = doctor.open(PATIENT).get(WAIT_SECONDS, TimeUnit.SECONDS);
        MessageView sent = doctor.send(conversation.id(), "Your results are in.").get(WAIT_SECONDS, TimeUnit.SECONDS);
        awaitSize(patientHears, 1);
        patient.send(conversation.id(), "Thank you, doctor.").get(WAIT_SECONDS, TimeUnit.SECONDS);
        awaitSize(doctorHears, 1);

        assertThat(sent.seq()).isEqualTo(1);
        assertThat(patientHears).containsExactly("Your results are in.");
        assertThat(doctorHears).containsExactly("Thank you, doctor.");
        assertThat(patient.history(conversation.id(), null, null).get(WAIT_SECONDS, TimeUnit.SECONDS).messages())
                .extracting(MessageView::body)
                .containsExactly("Your results are in.", "Thank you, doctor.");
        assertThat(endpoint.openSockets()).isEqualTo(2);
        assertThat(loopback.hub.isOnline(DOCTOR)).isTrue();
    }

    @Test
    @DisplayName("Registered through ServerContainer.addEndpoint alone, the endpoint refuses a foreign origin with 403 and closes an upgrade with a query string with 1008 query_refused")
    void addEndpointRoute() throws Exception {
        CareChatEndpointConfig endpoint = endpoint();
        JettyHost jetty = JettyHost.startWithAddEndpoint(endpoint);
        toClose.add(0, jetty);
        try (RawWebSocket raw = RawWebSocket.upgrade(jetty.port(), "/ws", Map.of("Origin", "https://evil.example"))) {
            assertThat(raw.status()).isEqualTo(403);
        }
        try (RawWebSocket raw = RawWebSocket.upgrade(jetty.port(), "/ws?access_token=" + loopback.token(PATIENT), Map.of())) {
            assertThat(raw.status()).isEqualTo(101);
            RawWebSocket.Frame close = raw.awaitClose();
            assertThat(close.closeCode()).isEqualTo(1008);
            assertThat(close.closeReason()).isEqualTo("query_refused");
        }
        assertThat(loopback.hub.openSessions()).isZero();
        try (RawWebSocket raw = RawWebSocket.upgrade(jetty.port(), "/ws",
                Map.of("Origin", "https://chat.hospital.example", "Authorization", "Bearer " + loopback.token(PATIENT)))) {
            assertThat(raw.status()).isEqualTo(101);
            assertThat(raw.readText()).startsWith("{\"type\":\"ready\"");
        }
    }

    @Test
    @DisplayName("A peer that stops answering pings is dropped after the connection-lost timeout; a client that answers them stays")
    void silentPeerIsDropped() throws Exception {
        CareChatEndpointConfig endpoint = endpoint(Duration.ofSeconds(1));
        JettyHost jetty = JettyHost.start(endpoint);
        toClose.add(0, jetty);
        URI uri = URI.create("ws://127.0.0.1:" + jetty.port() + endpoint.path());
        client(uri, DOCTOR, new CareChatListener() { });
        try (RawWebSocket silent = RawWebSocket.upgrade(jetty.port(), "/ws",
                Map.of("Authorization", "Bearer " + loopback.token(PATIENT)))) {
            assertThat(silent.readText()).startsWith("{\"type\":\"ready\"");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (loopback.hub.isOnline(PATIENT) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(loopback.hub.isOnline(PATIENT)).as("the peer that never answers a ping is dropped").isFalse();
            assertThat(loopback.hub.isOnline(DOCTOR)).as("the client that connected first, and answers pings, stays").isTrue();
        }
    }

    @Test
    @DisplayName("A quiet client stays connected past the container's own idle timeout while CareChat's pings watch the socket")
    void quietClientOutlastsTheContainersIdleTimeout() throws Exception {
        CareChatEndpointConfig endpoint = endpoint();
        JettyHost jetty = JettyHost.start(endpoint, Duration.ofMillis(500));
        toClose.add(0, jetty);
        URI uri = URI.create("ws://127.0.0.1:" + jetty.port() + endpoint.path());
        List<String> disconnects = new CopyOnWriteArrayList<>();
        client(uri, PATIENT, new CareChatListener() {
            @Override
            public void onDisconnected(int code, String reason) {
                disconnects.add(code + " " + reason);
            }
        });
        Thread.sleep(2_000); // four of the container's idle timeouts, with no frame either way
        assertThat(disconnects).isEmpty();
        assertThat(loopback.hub.isOnline(PATIENT)).isTrue();
    }

    private static CareChatListener bodiesInto(List<String> bodies) {
        return new CareChatListener() {
            @Override
            public void onMessage(MessageView message) {
                bodies.add(message.body());
            }
        };
    }

    private static void awaitSize(List<String> list, int size) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (list.size() < size) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT_SECONDS + " s: " + size + " messages");
            }
            Thread.sleep(5);
        }
    }
}
