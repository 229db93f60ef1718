package io.carechat.messaging.websocket;

import static io.carechat.messaging.websocket.ChatServer.ANN;
import static io.carechat.messaging.websocket.ChatServer.BEN;
import static io.carechat.messaging.websocket.ChatServer.DOCTOR;
import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.error.ErrorCode;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.MessagingLimits;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.model.Rate;
import io.carechat.messaging.model.ReceiptKind;
import io.carechat.messaging.protocol.MessageView;
import io.carechat.messaging.tck.transport.RawWebSocket;
import io.carechat.messaging.websocket.client.CareChatClient;
import io.carechat.messaging.websocket.client.ServerErrorException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Users chat through the WebSocket server with the Java client")
class ChatOverWebSocketTest {
    private final ChatServer chat = new ChatServer(io.carechat.messaging.hub.HubSettings.builder()
            .timerInterval(java.time.Duration.ofMillis(50))
            .build(), MessagingLimits.builder().sendRate(Rate.MAX, Rate.MAX).build());

    @AfterEach
    void stop() {
        chat.close();
    }

    @Test
    @DisplayName("Two users exchange messages live; a non-member gets not_found and sees nothing")
    void liveExchangeAndNonMember() {
        Recorder doctorHears = new Recorder();
        Recorder annHears = new Recorder();
        Recorder benHears = new Recorder();
        CareChatClient doctor = chat.connect(DOCTOR, doctorHears);
        CareChatClient ann = chat.connect(ANN, annHears);
        CareChatClient ben = chat.connect(BEN, benHears);

        Conversation conversation = Await.done(doctor.open(ANN));
        MessageView sent = Await.done(doctor.send(conversation.id(), "How are you feeling today?"));
        annHears.awaitMessages(1);
        Await.done(ann.send(conversation.id(), "Better, thank you.", Priority.URGENT, List.of()));
        doctorHears.awaitMessages(1);

        assertThat(sent.seq()).isEqualTo(1);
        assertThat(annHears.messages.get(0).id()).isEqualTo(sent.id());
        assertThat(annHears.messages.get(0).clientMsgId()).as("only the sender sees its clientMsgId").isNull();
        assertThat(doctorHears.bodies()).containsExactly("Better, thank you.");
        assertThat(doctorHears.messages.get(0).priority()).isEqualTo(Priority.URGENT);

        Throwable refused = Await.failure(ben.history(conversation.id(), null, null));
        assertThat(refused).isInstanceOf(ServerErrorException.class);
        assertThat(((ServerErrorException) refused).code()).isEqualTo(ErrorCode.NOT_FOUND);
        Throwable refusedSend = Await.failure(ben.send(conversation.id(), "let me in"));
        assertThat(((ServerErrorException) refusedSend).code()).isEqualTo(ErrorCode.NOT_FOUND);
        Await.done(ben.ping());
        assertThat(benHears.messages).isEmpty();
        assertThat(benHears.receipts).isEmpty();
    }

    @Test
    @DisplayName("Messages sent while the recipient is away arrive once, in seq order, then live ones; none again, for either side")
    void offlineDelivery() {
        CareChatClient doctor = chat.connect(DOCTOR, new Recorder());
        Conversation conversation = Await.done(doctor.open(ANN));
        List<CompletableFuture<MessageView>> sends = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            sends.add(doctor.send(conversation.id(), "offline " + i));
        }
        sends.forEach(Await::done);

        Recorder annHears = new Recorder();
        CareChatClient ann = chat.connect(ANN, annHears);
        annHears.awaitMessages(50);
        Await.done(doctor.send(conversation.id(), "live"));
        annHears.awaitMessages(51);
        Await.done(ann.ping());

        assertThat(annHears.messages).extracting(MessageView::seq)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 51).mapToObj(Long::valueOf).toList());
        assertThat(annHears.bodies().subList(0, 50))
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 50).mapToObj(i -> "offline " + i).toList());
        assertThat(annHears.bodies().get(50)).isEqualTo("live");
        assertThat(annHears.readies.get(0).unreadTotal()).isEqualTo(50);

        ann.close();
        Recorder annAgain = new Recorder();
        CareChatClient ann2 = chat.connect(ANN, annAgain);
        Await.done(ann2.ping());
        assertThat(annAgain.messages).as("everything was acknowledged as delivered").isEmpty();

        Await.done(doctor.ping());
        doctor.close();
        Recorder doctorAgain = new Recorder();
        Await.done(chat.connect(DOCTOR, doctorAgain).ping());
        assertThat(doctorAgain.messages).as("the sender acknowledged its own messages from sent").isEmpty();
    }

    @Test
    @DisplayName("Every socket of a user gets messages, the other side's receipts and their own unread counts")
    void severalSocketsPerUser() {
        Recorder doctorOne = new Recorder();
        Recorder doctorTwo = new Recorder();
        Recorder annOne = new Recorder();
        Recorder annTwo = new Recorder();
        CareChatClient doctor = chat.connect(DOCTOR, doctorOne);
        chat.connect(DOCTOR, doctorTwo);
        CareChatClient ann = chat.connect(ANN, annOne);
        chat.connect(ANN, annTwo);
        Conversation conversation = Await.done(doctor.open(ANN));

        MessageView first = Await.done(doctor.send(conversation.id(), "first"));
        Await.done(doctor.send(conversation.id(), "second"));
        annOne.awaitMessages(2);
        annTwo.awaitMessages(2);
        Await.done(ann.read(conversation.id(), first.seq()));

        Await.until("both doctor sockets get the read receipt", () ->
                hasReceipt(doctorOne, ReceiptKind.READ, first.seq()) && hasReceipt(doctorTwo, ReceiptKind.READ, first.seq()));
        Await.until("both of ann's sockets get her unread count", () ->
                !annOne.unreads.isEmpty() && !annTwo.unreads.isEmpty());
        assertThat(annOne.unreads.get(annOne.unreads.size() - 1).count()).isEqualTo(1);
        assertThat(annTwo.unreads.get(annTwo.unreads.size() - 1).total()).isEqualTo(1);
        assertThat(doctorTwo.messages).as("the sender's other socket sees its messages")
                .extracting(MessageView::body).containsExactly("first", "second");
        assertThat(annOne.receipts).as("a reader gets no receipt of her own read")
                .noneMatch(r -> r.userId().equals(ANN) && r.kind() == ReceiptKind.READ);
    }

    private static boolean hasReceipt(Recorder recorder, ReceiptKind kind, long seq) {
        return recorder.receipts.stream().anyMatch(r -> r.userId().equals(ANN) && r.kind() == kind && r.seq() >= seq);
    }

    @Test
    @DisplayName("A send retried with the same clientMsgId after the connection dropped is stored once")
    void retryAfterDropStoresOnce() throws IOException {
        CareChatClient doctor = chat.connect(DOCTOR, new Recorder());
        Conversation conversation = Await.done(doctor.open(ANN));
        try (RawWebSocket raw = RawWebSocket.upgrade(chat.port(), "/ws", Map.of("Authorization", "Bearer " + chat.token(DOCTOR)))) {
            raw.readText();
            raw.sendText("{\"type\":\"send\",\"ref\":\"x\",\"conversationId\":\"" + conversation.id().value()
                    + "\",\"clientMsgId\":\"retry-1\",\"body\":\"Take two tablets\"}");
            Await.until("the first attempt is committed", () -> storedCount(conversation) == 1);
        }
        MessageView retried = Await.done(doctor.send(conversation.id(), "retry-1", "Take two tablets", Priority.NORMAL, List.of()));

        assertThat(retried.clientMsgId()).isEqualTo("retry-1");
        assertThat(retried.seq()).isEqualTo(1);
        assertThat(storedCount(conversation)).isEqualTo(1);
    }

    @Test
    @DisplayName("A message sent while the client is disconnected is sent with its clientMsgId once a session is up")
    void sendWhileDisconnectedIsDeliveredAfterConnect() {
        CareChatClient doctor = chat.connect(DOCTOR, new Recorder());
        Conversation conversation = Await.done(doctor.open(ANN));
        CareChatClient later = chat.client(DOCTOR, new Recorder(), b -> b);
        CompletableFuture<MessageView> queued = later.send(conversation.id(), "queued before connecting");
        assertThat(queued).isNotDone();

        later.connect();
        MessageView stored = Await.done(queued);
        assertThat(stored.body()).isEqualTo("queued before connecting");
        assertThat(storedCount(conversation)).isEqualTo(1);
    }

    private long storedCount(Conversation conversation) {
        return chat.messaging.history(chat.caller(DOCTOR), conversation.id(), null, 100).messages().size();
    }

    @Test
    @DisplayName("Request helpers answer, and typing and presence reach the other member")
    void requestHelpersAndRelays() {
        Recorder doctorHears = new Recorder();
        CareChatClient doctor = chat.connect(DOCTOR, doctorHears);
        CareChatClient ann = chat.connect(ANN, new Recorder());
        Conversation conversation = Await.done(ann.open(DOCTOR));
        Await.done(ann.send(conversation.id(), "hello"));

        Await.done(ann.typing(conversation.id()));
        Await.done(ann.presence(io.carechat.messaging.model.Presence.BUSY));
        Await.until("the doctor sees ann typing and busy", () -> !doctorHears.typing.isEmpty()
                && doctorHears.presence.stream().anyMatch(p -> p.userId().equals(ANN)
                        && p.status() == io.carechat.messaging.model.Presence.BUSY));
        assertThat(doctorHears.typing.get(0).conversationId()).isEqualTo(conversation.id());

        assertThat(Await.done(doctor.conversations())).singleElement()
                .satisfies(c -> assertThat(c.lastSeq()).isEqualTo(1))
                .satisfies(c -> assertThat(c.unread()).isEqualTo(1));
        assertThat(Await.done(ann.contacts())).extracting(c -> c.id()).contains(DOCTOR).doesNotContain(BEN);
        assertThat(Await.done(doctor.history(conversation.id(), null, 10)).messages())
                .extracting(MessageView::body).containsExactly("hello");
    }

    @Test
    @DisplayName("A backlog far larger than the per-socket request queue is acknowledged without errors")
    void largeBacklogIsAcknowledged() {
        Conversation conversation = chat.messaging.openDirect(chat.caller(DOCTOR), ANN);
        for (int i = 1; i <= 400; i++) {
            chat.messaging.send(chat.caller(DOCTOR), io.carechat.messaging.model.SendRequest.text(conversation.id(), "b" + i, "note " + i));
        }
        Recorder annHears = new Recorder();
        CareChatClient ann = chat.connect(ANN, annHears);
        annHears.awaitMessages(400);
        Await.done(ann.ping());
        ann.close();

        Recorder annAgain = new Recorder();
        Await.done(chat.connect(ANN, annAgain).ping());
        assertThat(annHears.errors).isEmpty();
        assertThat(annAgain.messages).isEmpty();
    }
}
