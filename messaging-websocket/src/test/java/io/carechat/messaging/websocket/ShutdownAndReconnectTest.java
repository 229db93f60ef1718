package io.carechat.messaging.websocket;

import static io.carechat.messaging.websocket.ChatServer.ANN;
import static io.carechat.messaging.websocket.ChatServer.DOCTOR;
import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.error.UnavailableException;
import io.carechat.messaging.event.SessionsRevoked;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.protocol.MessageView;
import io.carechat.messaging.websocket.client.CareChatClient;
import io.carechat.messaging.websocket.client.NotConnectedException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Sockets end cleanly: graceful shutdown answers first, clients reconnect and resend")
class ShutdownAndReconnectTest {
    private final ChatServer chat = new ChatServer();

    @AfterEach
    void stop() {
        chat.close();
    }

    @Test
    @DisplayName("A send whose connection dropped before it was stored is resent after reconnecting with a fresh token, and stored once")
    void clientResendsAfterReconnect() {
        Recorder hears = new Recorder();
        AtomicInteger tokensIssued = new AtomicInteger();
        CareChatClient doctor = chat.client(DOCTOR, hears, b -> b.tokenSupplier(() -> {
            tokensIssued.incrementAndGet();
            return chat.token(DOCTOR);
        }));
        Await.done(doctor.connect());
        Conversation conversation = Await.done(doctor.open(ANN));
        chat.hookedStorage.beforeNextAppend(() -> {
            chat.bus.publish(new SessionsRevoked(DOCTOR, SessionsRevoked.Reason.LOGOUT));
            Await.until("the client saw the drop", () -> !hears.disconnects.isEmpty());
            throw new UnavailableException("storage went away with the connection");
        });

        MessageView stored = Await.done(doctor.send(conversation.id(), "Please fast from midnight"));

        assertThat(hears.reconnects).hasSize(1);
        assertThat(tokensIssued).as("a fresh token for each connection").hasValue(2);
        assertThat(stored.body()).isEqualTo("Please fast from midnight");
        assertThat(chat.messaging.history(chat.caller(DOCTOR), conversation.id(), null, 10).messages())
                .extracting(m -> m.clientMsgId()).containsExactly(stored.clientMsgId());
    }

    @Test
    @DisplayName("Requests other than send fail with NotConnectedException when there is no session")
    void requestsFailWhenDisconnected() {
        CareChatClient client = chat.client(ANN, new Recorder(), b -> b);
        assertThat(Await.failure(client.ping())).isInstanceOf(NotConnectedException.class);
        client.close();
        assertThat(Await.failure(client.send(io.carechat.messaging.model.ConversationId.of("c1"), "after close")))
                .isInstanceOf(NotConnectedException.class);
    }

    @Test
    @DisplayName("A send committed but whose sent was lost with the connection is resent and answered with the original")
    void committedButUnacknowledgedSendIsResentAndStoredOnce() {
        Recorder hears = new Recorder();
        CareChatClient doctor = chat.connect(DOCTOR, hears);
        Conversation conversation = Await.done(doctor.open(ANN));
        CompletableFuture<Void> replyMayGo = new CompletableFuture<>();
        chat.hookedStorage.afterNextCommit(() -> {
            chat.bus.publish(new SessionsRevoked(DOCTOR, SessionsRevoked.Reason.LOGOUT));
            Await.done(replyMayGo);
        });

        CompletableFuture<MessageView> send = doctor.send(conversation.id(), "Bring your scans");
        Await.until("the client saw the drop", () -> !hears.disconnects.isEmpty());
        MessageView stored = Await.done(send);
        replyMayGo.complete(null);

        assertThat(hears.reconnects).hasSize(1);
        assertThat(chat.messaging.history(chat.caller(DOCTOR), conversation.id(), null, 10).messages())
                .singleElement()
                .satisfies(m -> assertThat(m.id()).isEqualTo(stored.id()));
    }

    @Test
    @DisplayName("A send answered unavailable is retried with the same clientMsgId until stored, once")
    void unavailableSendIsRetried() {
        Recorder hears = new Recorder();
        CareChatClient doctor = chat.connect(DOCTOR, hears);
        Conversation conversation = Await.done(doctor.open(ANN));
        chat.hookedStorage.beforeNextAppend(() -> {
            throw new UnavailableException("storage is down");
        });

        MessageView stored = Await.done(doctor.send(conversation.id(), "Labs at nine"));

        assertThat(hears.errors).extracting(e -> e.code()).containsExactly(io.carechat.messaging.error.ErrorCode.UNAVAILABLE);
        assertThat(hears.disconnects).isEmpty();
        assertThat(chat.messaging.history(chat.caller(DOCTOR), conversation.id(), null, 10).messages())
                .singleElement()
                .satisfies(m -> assertThat(m.id()).isEqualTo(stored.id()));
    }
}
