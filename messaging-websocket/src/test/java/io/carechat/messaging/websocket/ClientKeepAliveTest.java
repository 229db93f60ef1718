package io.carechat.messaging.websocket;

import static io.carechat.messaging.websocket.ChatServer.ANN;
import static io.carechat.messaging.websocket.ChatServer.DOCTOR;
import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.protocol.MessageView;
import io.carechat.messaging.websocket.client.CareChatClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The Java client finds out a connection that stopped working and sends what waits again")
class ClientKeepAliveTest {
    private final ChatServer chat = new ChatServer();
    private final MeddlingProxy proxy;

    ClientKeepAliveTest() throws Exception {
        proxy = new MeddlingProxy(chat.port());
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        chat.close();
    }

    private CareChatClient throughProxy(Recorder hears) {
        CareChatClient client = chat.client(DOCTOR, hears, b -> b.uri(proxy.uri())
                .keepAlive(Duration.ofMillis(300)).requestTimeout(Duration.ofSeconds(3)));
        Await.done(client.connect());
        return client;
    }

    @Test
    @DisplayName("A connection that went silent without closing is dropped after an unanswered ping; the send waiting on it is answered through a new one and stored once")
    void stalledConnectionIsReplaced() {
        Recorder hears = new Recorder();
        CareChatClient doctor = throughProxy(hears);
        Conversation conversation = Await.done(doctor.open(ANN));

        proxy.stall();
        CompletableFuture<MessageView> send = doctor.send(conversation.id(), "Your biopsy is benign");
        MessageView stored = Await.done(send);

        assertThat(hears.disconnects).extracting(Recorder.Disconnect::reason).contains("keep_alive_timeout");
        assertThat(hears.reconnects).hasSize(1);
        assertThat(chat.messaging.history(chat.caller(DOCTOR), conversation.id(), null, 10).messages())
                .extracting(m -> m.clientMsgId()).containsExactly(stored.clientMsgId());
    }

    @Test
    @DisplayName("A send lost on a working connection goes again once a later ping is answered, on the same connection, and is stored once")
    void lostSendGoesAgainAfterAnsweredPing() {
        Recorder hears = new Recorder();
        CareChatClient doctor = throughProxy(hears);
        Conversation conversation = Await.done(doctor.open(ANN));

        proxy.dropNextClientTextFrame();
        MessageView stored = Await.done(doctor.send(conversation.id(), "Bring your insurance card"));

        assertThat(hears.disconnects).as("the connection itself worked").isEmpty();
        assertThat(chat.messaging.history(chat.caller(DOCTOR), conversation.id(), null, 10).messages())
                .extracting(m -> m.clientMsgId()).containsExactly(stored.clientMsgId());
    }

    @Test
    @DisplayName("An idle connection that answers its pings stays up")
    void idleWorkingConnectionStays() throws Exception {
        Recorder hears = new Recorder();
        CareChatClient doctor = throughProxy(hears);
        Thread.sleep(1_500); // several keep-alive periods without traffic
        assertThat(hears.disconnects).isEmpty();
        assertThat(doctor.isConnected()).isTrue();
        Await.done(doctor.ping());
    }
}
