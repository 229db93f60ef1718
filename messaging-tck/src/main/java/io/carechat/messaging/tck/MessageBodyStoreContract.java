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
import io.carechat.messaging.spi.MessageBodyStore;
import io.carechat.messaging.spi.MessageSealer;
import io.carechat.messaging.spi.MessagingStorage;
import io.carechat.messaging.spi.NewMessage;
import io.carechat.messaging.spi.StoredBody;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The conformance kit for {@link MessageBodyStore}, the maintenance view of stored bodies that key
 * rotation and retention use, checked on {@link MessagingStorage#messageBodies()}. Subclass it and
 * return fresh storage from {@link #createStorage()}. Not thread-safe itself (JUnit makes one
 * instance per test).
 */
@DisplayName("MessageBodyStore contract")
public abstract class MessageBodyStoreContract {
    private static final Instant T0 = Instant.parse("2026-01-05T08:00:00Z");
    private static final AttachmentId ATTACHMENT = AttachmentId.of("att-1");

    private MessagingStorage storage;
    private int users;

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
    }

    @AfterEach
    void dispose() {
        disposeStorage(storage);
    }

    private UserId user(Role role) {
        String name = "body-user" + (++users);
        return storage.users().create(new User(UserId.random(), name, name + "@example.org", name,
                Set.of(role), true, T0), "hash").id();
    }

    private Conversation conversationWith(int messages) {
        UserId doctor = user(Role.DOCTOR);
        Conversation c = storage.conversations().openDirect(ConversationId.random(), doctor, user(Role.PATIENT), T0);
        for (int i = 1; i <= messages; i++) {
            storage.messages().append(new NewMessage(MessageId.random(), c.id(), doctor, "k" + i, "sealed-" + i,
                    Priority.NORMAL, List.of(), T0.plusSeconds(i)));
        }
        return c;
    }

    @Test
    @DisplayName("scanning in pages visits every body once, by conversation id and then seq, with its place and time")
    void scanVisitsEverything() {
        List<Conversation> conversations = List.of(conversationWith(3), conversationWith(2), conversationWith(4));
        List<StoredBody> seen = new ArrayList<>();
        StoredBody after = null;
        while (true) {
            List<StoredBody> page = storage.messageBodies().scan(after, 2);
            assertThat(page.size()).isLessThanOrEqualTo(2);
            seen.addAll(page);
            if (page.size() < 2) {
                break;
            }
            after = page.get(page.size() - 1);
        }
        assertThat(seen).hasSize(9);
        List<String> order = conversations.stream().map(c -> c.id().value()).sorted().toList();
        List<String> expected = new ArrayList<>();
        for (String id : order) {
            int count = seen.stream().filter(b -> b.conversationId().value().equals(id)).mapToInt(b -> 1).sum();
            for (int seq = 1; seq <= count; seq++) {
                expected.add(id + "#" + seq);
            }
        }
        assertThat(seen).extracting(b -> b.conversationId().value() + "#" + b.seq()).containsExactlyElementsOf(expected);
        StoredBody first = seen.get(0);
        assertThat(first.body()).isEqualTo("sealed-1");
        assertThat(first.sentAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(storage.messages().find(first.conversationId(), 1)).hasValueSatisfying(
                m -> assertThat(m.id()).isEqualTo(first.messageId()));
    }

    @Test
    @DisplayName("a body is replaced only if it is still what was scanned, and reads then return the new one")
    void compareAndSet() {
        Conversation c = conversationWith(2);
        StoredBody first = storage.messageBodies().scan(null, 10).get(0);
        assertThat(storage.messageBodies().replaceBody(first, "resealed")).isTrue();
        assertThat(storage.messageBodies().replaceBody(first, "stale write")).isFalse();
        assertThat(storage.messages().find(c.id(), 1)).hasValueSatisfying(m -> assertThat(m.body()).isEqualTo("resealed"));
        assertThat(storage.messages().history(c.id(), null, 10).messages()).extracting(m -> m.body())
                .containsExactly("resealed", "sealed-2");
    }

    @Test
    @DisplayName("a repeated clientMsgId after a rewrite returns the message with its rewritten body")
    void repeatSeesRewrite() {
        Conversation c = conversationWith(1);
        StoredBody first = storage.messageBodies().scan(null, 10).get(0);
        storage.messageBodies().replaceBody(first, "resealed");
        UserId doctor = c.memberIds().get(0);
        var repeat = storage.messages().append(new NewMessage(MessageId.random(), c.id(), doctor, "k1", "sealed-1",
                Priority.NORMAL, List.of(), T0));
        assertThat(repeat.created()).isFalse();
        assertThat(repeat.message().body()).isEqualTo("resealed");
    }

    @Test
    @DisplayName("replacing the body of a message that does not exist changes nothing and says so")
    void missing() {
        StoredBody ghost = new StoredBody(ConversationId.random(), 1, MessageId.random(), T0, "x", UserId.random(),
                Priority.NORMAL, List.of());
        assertThat(storage.messageBodies().replaceBody(ghost, "y")).isFalse();
        assertThat(storage.messageBodies().reseal(ghost, "y", List.of())).isFalse();
        assertThat(storage.messageBodies().scan(null, 10)).isEmpty();
    }

    @Test
    @DisplayName("an append writes and returns what the message's sealer makes of it once placed, with its seq and time")
    void appendWritesWhatTheSealerMakes() {
        UserId doctor = user(Role.DOCTOR);
        Conversation c = storage.conversations().openDirect(ConversationId.random(), doctor, user(Role.PATIENT), T0);
        MessageSealer sealer = placed -> new Message(placed.id(), placed.conversationId(), placed.seq(),
                placed.senderId(), "sealed@" + placed.seq() + "@" + placed.sentAt() + ":" + placed.body().length(),
                placed.priority(), placed.sentAt(), placed.clientMsgId(), List.of(new AttachmentRef(ATTACHMENT,
                        "name@" + placed.seq(), "application/pdf", 1)));
        storage.messages().append(new NewMessage(MessageId.random(), c.id(), doctor, "k1", "plain", Priority.URGENT,
                List.of(), T0, MessageSealer.AS_GIVEN));
        Message second = storage.messages().append(new NewMessage(MessageId.random(), c.id(), doctor, "k2", "plain",
                Priority.URGENT, List.of(), T0, sealer)).message();
        assertThat(second.body()).isEqualTo("sealed@2@" + T0 + ":5");
        StoredBody stored = storage.messageBodies().scan(null, 10).get(1);
        assertThat(stored.body()).isEqualTo("sealed@2@" + T0 + ":5");
        assertThat(stored.senderId()).isEqualTo(doctor);
        assertThat(stored.priority()).isEqualTo(Priority.URGENT);
        assertThat(stored.attachments()).extracting(AttachmentRef::name).containsExactly("name@2");
    }

    @Test
    @DisplayName("resealing replaces body and attachment references together, only if both are still as scanned")
    void resealReplacesBodyAndAttachments() {
        UserId doctor = user(Role.DOCTOR);
        Conversation c = storage.conversations().openDirect(ConversationId.random(), doctor, user(Role.PATIENT), T0);
        storage.messages().append(new NewMessage(MessageId.random(), c.id(), doctor, "k1", "sealed-1",
                Priority.NORMAL, List.of(new AttachmentRef(ATTACHMENT, "old name", "image/png", 7)), T0));
        StoredBody first = storage.messageBodies().scan(null, 10).get(0);
        List<AttachmentRef> renamed = List.of(new AttachmentRef(ATTACHMENT, "new name", "image/png", 7));
        assertThat(storage.messageBodies().reseal(first, "resealed", renamed)).isTrue();
        assertThat(storage.messageBodies().reseal(first, "stale", renamed)).isFalse();
        StoredBody now = storage.messageBodies().scan(null, 10).get(0);
        assertThat(now.body()).isEqualTo("resealed");
        assertThat(now.attachments()).isEqualTo(renamed);
        StoredBody staleNames = new StoredBody(now.conversationId(), now.seq(), now.messageId(), now.sentAt(),
                now.body(), now.senderId(), now.priority(), first.attachments());
        assertThat(storage.messageBodies().reseal(staleNames, "other", List.of())).isFalse();
    }
}
