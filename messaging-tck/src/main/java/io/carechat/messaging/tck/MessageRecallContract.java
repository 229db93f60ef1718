package io.carechat.messaging.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.model.AttachmentId;
import io.carechat.messaging.model.AttachmentRef;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.MessageId;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.MessageRecall;
import io.carechat.messaging.spi.MessagingStorage;
import io.carechat.messaging.spi.NewMessage;
import io.carechat.messaging.spi.StoredBody;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The conformance kit for recalls in {@link io.carechat.messaging.spi.MessageStore}: a recalled
 * message keeps its place and its original stays stored for the legal record, while every read
 * returns its tombstone. Subclass it and return fresh storage from {@link #createStorage()}. Not
 * thread-safe itself (JUnit makes one instance per test).
 */
@DisplayName("MessageStore recall contract")
public abstract class MessageRecallContract {
    private static final Instant T0 = Instant.parse("2026-01-05T08:00:00Z");
    private static final AttachmentId SCAN = AttachmentId.of("att-recall-1");
    private static final AttachmentId KEPT = AttachmentId.of("att-recall-2");

    private MessagingStorage storage;
    private int users;
    private Conversation conversation;
    private UserId doctor;
    private List<Message> sent;

    /**
     * Makes fresh, empty storage.
     *
     * @return the storage
     */
    protected abstract MessagingStorage createStorage();

    /**
     * Releases what {@link #createStorage()} made; the default does nothing.
     *
     * @param storage the storage
     */
    protected void disposeStorage(MessagingStorage storage) {}

    @BeforeEach
    void create() {
        storage = createStorage();
        doctor = user(Role.DOCTOR);
        conversation = storage.conversations().openDirect(ConversationId.random(), doctor, user(Role.PATIENT), T0);
        sent = List.of(append("k1", "sealed-1", List.of()),
                append("k2", "sealed-2", List.of(new AttachmentRef(SCAN, "sealed-name", "application/pdf", 10))),
                append("k3", "sealed-3", List.of(new AttachmentRef(KEPT, "sealed-name-2", "image/png", 20))));
    }

    @AfterEach
    void dispose() {
        disposeStorage(storage);
    }

    private UserId user(Role role) {
        String name = "recall-user" + (++users);
        return storage.users().create(new User(UserId.random(), name, name + "@example.org", name,
                Set.of(role), true, T0), "hash").id();
    }

    private Message append(String key, String body, List<AttachmentRef> attachments) {
        return storage.messages().append(new NewMessage(MessageId.random(), conversation.id(), doctor, key, body,
                Priority.URGENT, attachments, T0.plusSeconds(10))).message();
    }

    private Optional<Message> recall(Message m, Instant at) {
        return storage.messages().recall(new MessageRecall(m.conversationId(), m.seq(), m.id(), doctor, at,
                "/sealed/reason"));
    }

    @Test
    @DisplayName("a recall returns the tombstone: same id, seq, sender, priority and sent time, no body, no attachments")
    void recallReturnsTombstone() {
        Message original = sent.get(1);
        Instant at = T0.plusSeconds(60);
        Message tombstone = recall(original, at).orElseThrow();
        assertThat(tombstone.id()).isEqualTo(original.id());
        assertThat(tombstone.seq()).isEqualTo(original.seq());
        assertThat(tombstone.senderId()).isEqualTo(doctor);
        assertThat(tombstone.priority()).isEqualTo(Priority.URGENT);
        assertThat(tombstone.sentAt()).isEqualTo(original.sentAt());
        assertThat(tombstone.recalledAt()).isEqualTo(at);
        assertThat(tombstone.body()).isEmpty();
        assertThat(tombstone.attachments()).isEmpty();
    }

    @Test
    @DisplayName("history, the backlog and find return the recalled message as a tombstone in its place, the others unchanged")
    void readsReturnTombstones() {
        recall(sent.get(1), T0.plusSeconds(60));
        List<Message> history = storage.messages().history(conversation.id(), null, 10).messages();
        assertThat(history).extracting(Message::seq).containsExactly(1L, 2L, 3L);
        assertThat(history).extracting(Message::recalled).containsExactly(false, true, false);
        assertThat(history.get(1).body()).isEmpty();
        assertThat(history.get(1).attachments()).isEmpty();
        assertThat(history.get(2).body()).isEqualTo("sealed-3");
        assertThat(storage.messages().history(conversation.id(), 3L, 1).messages())
                .singleElement().satisfies(m -> assertThat(m.recalled()).isTrue());
        assertThat(storage.messages().after(conversation.id(), 1, 10)).extracting(Message::recalled)
                .containsExactly(true, false);
        assertThat(storage.messages().find(conversation.id(), 2)).hasValueSatisfying(m -> {
            assertThat(m.recalled()).isTrue();
            assertThat(m.body()).isEmpty();
        });
        assertThat(storage.messages().find(conversation.id(), 1)).hasValueSatisfying(
                m -> assertThat(m.recalled()).isFalse());
    }

    @Test
    @DisplayName("the original stays stored for the legal record: the maintenance scan still sees its body and attachments")
    void originalStaysStored() {
        recall(sent.get(1), T0.plusSeconds(60));
        List<StoredBody> bodies = storage.messageBodies().scan(null, 10);
        assertThat(bodies).extracting(StoredBody::body).containsExactly("sealed-1", "sealed-2", "sealed-3");
        assertThat(bodies.get(1).attachments()).extracting(AttachmentRef::id).containsExactly(SCAN);
    }

    @Test
    @DisplayName("recalling again keeps the first recall and its time")
    void recallIsIdempotent() {
        Instant first = T0.plusSeconds(60);
        recall(sent.get(0), first);
        Message again = recall(sent.get(0), T0.plusSeconds(120)).orElseThrow();
        assertThat(again.recalledAt()).isEqualTo(first);
        assertThat(storage.messages().find(conversation.id(), 1).orElseThrow().recalledAt()).isEqualTo(first);
    }

    @Test
    @DisplayName("a recall of a message that is not at that place, or of an unknown conversation, recalls nothing")
    void recallOfUnknownMessage() {
        Message wrongPlace = sent.get(0);
        assertThat(storage.messages().recall(new MessageRecall(conversation.id(), 2, wrongPlace.id(), doctor,
                T0, "/sealed/x"))).isEmpty();
        assertThat(storage.messages().recall(new MessageRecall(conversation.id(), 9, MessageId.random(), doctor,
                T0, "/sealed/x"))).isEmpty();
        assertThat(storage.messages().recall(new MessageRecall(ConversationId.random(), 1, wrongPlace.id(), doctor,
                T0, "/sealed/x"))).isEmpty();
        assertThat(storage.messages().history(conversation.id(), null, 10).messages())
                .noneMatch(Message::recalled);
    }

    @Test
    @DisplayName("the attachments of a recalled message are known as recalled in its conversation, the others are not")
    void recalledAttachments() {
        assertThat(storage.messages().carriedByRecalled(conversation.id(), SCAN)).isFalse();
        recall(sent.get(1), T0.plusSeconds(60));
        assertThat(storage.messages().carriedByRecalled(conversation.id(), SCAN)).isTrue();
        assertThat(storage.messages().carriedByRecalled(conversation.id(), KEPT)).isFalse();
        assertThat(storage.messages().carriedByRecalled(ConversationId.random(), SCAN)).isFalse();
    }

    @Test
    @DisplayName("key rotation's view: recalls scan in pages by conversation id and seq, and a reason is replaced only if unchanged")
    void recallsForKeyRotation() {
        recall(sent.get(2), T0.plusSeconds(60));
        recall(sent.get(0), T0.plusSeconds(61));
        List<MessageRecall> first = storage.messageBodies().scanRecalls(null, 1);
        assertThat(first).singleElement().satisfies(r -> {
            assertThat(r.seq()).isEqualTo(1);
            assertThat(r.messageId()).isEqualTo(sent.get(0).id());
            assertThat(r.recalledBy()).isEqualTo(doctor);
            assertThat(r.recalledAt()).isEqualTo(T0.plusSeconds(61));
            assertThat(r.sealedReason()).isEqualTo("/sealed/reason");
        });
        assertThat(storage.messageBodies().scanRecalls(first.get(0), 10)).extracting(MessageRecall::seq)
                .containsExactly(3L);

        assertThat(storage.messageBodies().replaceRecallReason(first.get(0), "/sealed/resealed")).isTrue();
        assertThat(storage.messageBodies().replaceRecallReason(first.get(0), "/sealed/stale write")).isFalse();
        assertThat(storage.messageBodies().scanRecalls(null, 10)).extracting(MessageRecall::sealedReason)
                .containsExactly("/sealed/resealed", "/sealed/reason");
        assertThat(storage.messages().find(conversation.id(), 1).orElseThrow().recalled()).isTrue();
    }

    @Test
    @DisplayName("a repeat of a recalled message's clientMsgId stores nothing new")
    void repeatAfterRecallStoresNothing() {
        recall(sent.get(0), T0.plusSeconds(60));
        var repeat = storage.messages().append(new NewMessage(MessageId.random(), conversation.id(), doctor, "k1",
                "sealed-1", Priority.URGENT, List.of(), T0));
        assertThat(repeat.created()).isFalse();
        assertThat(repeat.message().id()).isEqualTo(sent.get(0).id());
        assertThat(storage.messages().history(conversation.id(), null, 10).messages()).hasSize(3);
    }
}
