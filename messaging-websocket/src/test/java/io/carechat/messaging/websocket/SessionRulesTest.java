package io.carechat.messaging.websocket;

import static io.carechat.messaging.websocket.ChatServer.ANN;
import static io.carechat.messaging.websocket.ChatServer.DOCTOR;
import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.error.ErrorCode;
import io.carechat.messaging.event.SessionsRevoked;
import io.carechat.messaging.hub.HubSettings;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.MessagingLimits;
import io.carechat.messaging.protocol.MessageView;
import io.carechat.messaging.tck.transport.RawWebSocket;
import io.carechat.messaging.websocket.client.CareChatClient;
import io.carechat.messaging.websocket.client.ServerErrorException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The server enforces the session rules and close codes of the contract")
class SessionRulesTest {
    private ChatServer chat = new ChatServer();

    @AfterEach
    void stop() {
        chat.close();
    }

    private void restart(HubSettings.Builder settings) {
        chat.close();
        chat = new ChatServer(settings.timerInterval(Duration.ofMillis(20)).build());
    }

    private static UnaryOperator<CareChatClient.Builder> once() {
        return b -> b.reconnect(false);
    }

    @Test
    @DisplayName("A first frame other than auth closes the socket with 4401")
    void wrongFirstFrame() throws IOException {
        try (RawWebSocket raw = RawWebSocket.upgrade(chat.port(), "/ws", Map.of())) {
            raw.sendText("{\"type\":\"ping\"}");
            assertThat(raw.awaitCloseCode()).isEqualTo(4401);
        }
    }

    @Test
    @DisplayName("A browser-style auth frame as the first frame starts the session")
    void authByFirstFrame() throws IOException {
        try (RawWebSocket raw = RawWebSocket.upgrade(chat.port(), "/ws", Map.of("Origin", ChatServer.ALLOWED_ORIGIN))) {
            raw.sendText("{\"type\":\"auth\",\"ref\":\"a1\",\"token\":\"" + chat.token(ANN) + "\"}");
            assertThat(raw.readText()).startsWith("{\"type\":\"ready\",\"ref\":\"a1\"");
        }
    }

    @Test
    @DisplayName("An invalid bearer token on the upgrade closes the socket with 4401")
    void invalidBearerToken() throws IOException {
        try (RawWebSocket raw = RawWebSocket.upgrade(chat.port(), "/ws", Map.of("Authorization", "Bearer forged"))) {
            assertThat(raw.awaitCloseCode()).isEqualTo(4401);
        }
    }

    @Test
    @DisplayName("Sends beyond the rate get error rate_limited; the ones accepted are stored, nothing silently dropped")
    void rateLimit() {
        chat.close();
        chat = new ChatServer(HubSettings.builder().timerInterval(Duration.ofMillis(20)).build(),
                MessagingLimits.builder().sendRate(1, 3).build());
        CareChatClient doctor = chat.connect(DOCTOR, new Recorder());
        Conversation conversation = Await.done(doctor.open(ANN));
        List<CompletableFuture<MessageView>> sends = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            sends.add(doctor.send(conversation.id(), "message " + i));
        }
        int stored = 0;
        int limited = 0;
        for (CompletableFuture<MessageView> send : sends) {
            try {
                Await.done(send);
                stored++;
            } catch (AssertionError e) {
                assertThat(e.getCause()).isInstanceOf(ServerErrorException.class);
                assertThat(((ServerErrorException) e.getCause()).code()).isEqualTo(ErrorCode.RATE_LIMITED);
                limited++;
            }
        }
        assertThat(limited).isPositive();
        assertThat(stored + limited).isEqualTo(10);
        assertThat(chat.messaging.history(chat.caller(DOCTOR), conversation.id(), null, 100).messages())
                .hasSize(stored);
    }

    @Test
    @DisplayName("A user's socket beyond the cap is closed with 1008 too_many_sockets")
    void socketsPerUser() {
        restart(HubSettings.builder().maxSocketsPerUser(2));
        chat.connect(ANN, new Recorder());
        chat.connect(ANN, new Recorder());
        Recorder third = new Recorder();
        chat.client(ANN, third, once()).connect();
        assertThat(third.awaitDisconnect()).isEqualTo(new Recorder.Disconnect(1008, "too_many_sockets"));
    }

    @Test
    @DisplayName("A fresh auth before expiry extends the session in place until the new token expires")
    void reauthExtendsSession() {
        AtomicInteger issued = new AtomicInteger();
        Recorder hears = new Recorder();
        CareChatClient ann = chat.client(ANN, hears, b -> b.reconnect(false).tokenSupplier(() ->
                chat.token(ANN, issued.getAndIncrement() == 0 ? Duration.ofMinutes(5) : Duration.ofMinutes(30))));
        Await.done(ann.connect());
        Recorder control = new Recorder();
        chat.client(ANN, control, b -> b.reconnect(false).tokenSupplier(() -> chat.token(ANN, Duration.ofMinutes(5))))
                .connect();
        Await.until("the control session is up", () -> !control.readies.isEmpty());

        Await.done(ann.reauthenticate());
        chat.clock.advance(Duration.ofMinutes(6));
        assertThat(control.awaitDisconnect().reason()).as("the timer ran past the first expiry")
                .isEqualTo("token_expired");
        Await.done(ann.ping());
        assertThat(hears.disconnects).isEmpty();

        chat.clock.advance(Duration.ofMinutes(30));
        assertThat(hears.awaitDisconnect()).isEqualTo(new Recorder.Disconnect(4401, "token_expired"));
    }

    @Test
    @DisplayName("Logout closes every socket of the user with 4401 logged_out, and no one else's")
    void logoutClosesSockets() {
        Recorder first = new Recorder();
        Recorder second = new Recorder();
        chat.client(DOCTOR, first, once()).connect();
        chat.client(DOCTOR, second, once()).connect();
        CareChatClient ann = chat.connect(ANN, new Recorder());
        Await.until("both doctor sessions are up", () -> !first.readies.isEmpty() && !second.readies.isEmpty());

        chat.bus.publish(new SessionsRevoked(DOCTOR, SessionsRevoked.Reason.LOGOUT));

        assertThat(first.awaitDisconnect()).isEqualTo(new Recorder.Disconnect(4401, "logged_out"));
        assertThat(second.awaitDisconnect()).isEqualTo(new Recorder.Disconnect(4401, "logged_out"));
        Await.done(ann.ping());
    }

    @Test
    @DisplayName("A role change closes the user's sockets with 4401 roles_changed")
    void roleChangeClosesSockets() {
        Recorder hears = new Recorder();
        chat.client(ANN, hears, once()).connect();
        Await.until("the session is up", () -> !hears.readies.isEmpty());

        chat.bus.publish(new SessionsRevoked(ANN, SessionsRevoked.Reason.ROLES_CHANGED));

        assertThat(hears.awaitDisconnect()).isEqualTo(new Recorder.Disconnect(4401, "roles_changed"));
    }

    @Test
    @DisplayName("With idle logoff on, a session without client frames other than ping is closed with 4401 idle_timeout")
    void idleLogoff() {
        restart(HubSettings.builder().idleTimeout(Duration.ofMinutes(10)));
        Recorder hears = new Recorder();
        CareChatClient ann = chat.client(ANN, hears, once());
        Await.done(ann.connect());
        chat.clock.advance(Duration.ofMinutes(11));
        assertThat(hears.awaitDisconnect()).isEqualTo(new Recorder.Disconnect(4401, "idle_timeout"));
    }
}
