package io.carechat.messaging.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.AttachmentId;
import io.carechat.messaging.AttachmentRef;
import io.carechat.messaging.Conversation;
import io.carechat.messaging.ConversationId;
import io.carechat.messaging.Role;
import io.carechat.messaging.User;
import io.carechat.messaging.UserId;
import io.carechat.messaging.spi.AttachmentStore;
import io.carechat.messaging.spi.MessagingStorage;
import io.carechat.messaging.spi.StoredAttachment;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The conformance kit for {@link AttachmentStore}. Subclass it, return fresh storage from
 * {@link #createStorage()} and its attachment store from {@link #attachments(MessagingStorage)};
 * users and conversations are made through the storage first, for stores with foreign keys.
 */
@DisplayName("AttachmentStore contract")
public abstract class AttachmentStoreContract {
    private static final Instant T0 = Instant.parse("2026-01-05T08:00:00Z");

    private MessagingStorage storage;
    private AttachmentStore store;
    private int users;

    /**
     * Makes fresh, empty storage.
     *
     * @return the storage
     */
    protected abstract MessagingStorage createStorage();

    /**
     * The attachment store of the storage.
     *
     * @param storage the storage
     * @return its attachment store
     */
    protected abstract AttachmentStore attachments(MessagingStorage storage);

    /**
     * Releases what {@link #createStorage()} made; the default does nothing.
     *
     * @param storage the storage
     */
    protected void disposeStorage(MessagingStorage storage) {}

    @BeforeEach
    void create() {
        storage = createStorage();
        store = attachments(storage);
    }

    @AfterEach
    void dispose() {
        disposeStorage(storage);
    }

    private UserId user(Role role) {
        String name = "att-user" + (++users);
        return storage.users().create(new User(UserId.random(), name, name + "@example.org", name, Set.of(role),
                true, T0), "hash").id();
    }

    private StoredAttachment upload(UserId owner, long size) {
        StoredAttachment a = new StoredAttachment(
                new AttachmentRef(AttachmentId.random(), "scan.pdf", "application/pdf", size), owner, T0);
        store.put(a, new byte[] {1, 2, 3, (byte) size});
        return a;
    }

    @Test
    @DisplayName("an attachment is kept with its metadata and its sealed content, byte for byte")
    void roundTrip() {
        StoredAttachment a = upload(user(Role.PATIENT), 1234);
        assertThat(store.find(a.ref().id())).contains(a);
        assertThat(store.content(a.ref().id())).hasValueSatisfying(
                c -> assertThat(c).containsExactly(1, 2, 3, (byte) 1234));
        assertThat(store.find(AttachmentId.random())).isEmpty();
        assertThat(store.content(AttachmentId.random())).isEmpty();
    }

    @Test
    @DisplayName("the total size counts one owner's uploads only")
    void totalSize() {
        UserId owner = user(Role.PATIENT);
        UserId other = user(Role.PATIENT);
        upload(owner, 100);
        upload(owner, 250);
        upload(other, 7);
        assertThat(store.totalSize(owner)).isEqualTo(350);
        assertThat(store.totalSize(user(Role.DOCTOR))).isZero();
    }

    @Test
    @DisplayName("links name the conversations referring to an attachment, each once")
    void links() {
        UserId doctor = user(Role.DOCTOR);
        Conversation first = storage.conversations().openDirect(ConversationId.random(), doctor, user(Role.PATIENT), T0);
        Conversation second = storage.conversations().openDirect(ConversationId.random(), doctor, user(Role.PATIENT), T0);
        StoredAttachment a = upload(doctor, 10);
        assertThat(store.conversationsOf(a.ref().id())).isEmpty();
        store.link(a.ref().id(), first.id());
        store.link(a.ref().id(), first.id());
        store.link(a.ref().id(), second.id());
        assertThat(store.conversationsOf(a.ref().id())).containsExactlyInAnyOrder(first.id(), second.id());
        AttachmentId unknown = AttachmentId.random();
        store.link(unknown, first.id());
        assertThat(store.conversationsOf(unknown)).isEmpty();
    }
}
