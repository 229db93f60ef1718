package io.carechat.messaging.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.model.AttachmentId;
import io.carechat.messaging.model.AttachmentRef;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.retention.UnlinkedUploadPurge;
import io.carechat.messaging.spi.AttachmentStore;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.AuditQuery;
import io.carechat.messaging.spi.AuditRecord;
import io.carechat.messaging.spi.LegalHold;
import io.carechat.messaging.spi.MessagingStorage;
import io.carechat.messaging.spi.StoredAttachment;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The conformance kit for {@link AttachmentStore}, checked on {@link MessagingStorage#attachments()}.
 * Subclass it and return fresh storage from {@link #createStorage()}; users and conversations are
 * made through the storage first, for stores with foreign keys. Not thread-safe itself (JUnit makes
 * one instance per test).
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
     * Releases what {@link #createStorage()} made; the default does nothing.
     *
     * @param storage the storage
     */
    protected void disposeStorage(MessagingStorage storage) {}

    @BeforeEach
    void create() {
        storage = createStorage();
        store = storage.attachments();
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
        return upload(owner, size, T0);
    }

    private StoredAttachment upload(UserId owner, long size, Instant at) {
        StoredAttachment a = new StoredAttachment(
                new AttachmentRef(AttachmentId.random(), "scan.pdf", "application/pdf", size), owner, at);
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

    private AttachmentStore.Admission uploadWithin(UserId owner, long size, long ownerQuota, long totalQuota) {
        StoredAttachment a = new StoredAttachment(
                new AttachmentRef(AttachmentId.random(), "scan.pdf", "application/pdf", size), owner, T0);
        return store.putWithinQuota(a, new byte[] {1, 2, 3}, ownerQuota, totalQuota);
    }

    @Test
    @DisplayName("an upload within both quotas is stored; one past the owner's or the total quota stores nothing")
    void quotas() {
        UserId owner = user(Role.PATIENT);
        UserId other = user(Role.PATIENT);
        assertThat(uploadWithin(owner, 60, 100, 150)).isEqualTo(AttachmentStore.Admission.STORED);
        assertThat(uploadWithin(owner, 41, 100, 150)).isEqualTo(AttachmentStore.Admission.OWNER_QUOTA_EXCEEDED);
        assertThat(uploadWithin(owner, 40, 100, 150)).isEqualTo(AttachmentStore.Admission.STORED);
        assertThat(uploadWithin(other, 51, 100, 150)).isEqualTo(AttachmentStore.Admission.TOTAL_QUOTA_EXCEEDED);
        assertThat(store.totalSize(owner)).isEqualTo(100);
        assertThat(store.totalSize(other)).isZero();
    }

    @Test
    @DisplayName("purged uploads no longer count against the quotas")
    void purgedUploadsFreeTheQuota() {
        UserId owner = user(Role.PATIENT);
        StoredAttachment first = upload(owner, 80);
        assertThat(uploadWithin(owner, 30, 100, 100)).isEqualTo(AttachmentStore.Admission.OWNER_QUOTA_EXCEEDED);
        store.purgeContent(first.ref().id());
        assertThat(uploadWithin(owner, 30, 100, 100)).isEqualTo(AttachmentStore.Admission.STORED);
    }

    @Test
    @DisplayName("parallel uploads cannot pass a quota together: the check and the store are one atomic step")
    void parallelUploadsKeepTheQuotas() {
        UserId owner = user(Role.PATIENT);
        List<UserId> others = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            others.add(user(Role.PATIENT));
        }
        List<AttachmentStore.Admission> own = Concurrently.run(8, i -> () -> uploadWithin(owner, 10, 30, 1_000));
        assertThat(own).filteredOn(a -> a == AttachmentStore.Admission.STORED).hasSize(3);
        assertThat(store.totalSize(owner)).isEqualTo(30);

        List<AttachmentStore.Admission> all = Concurrently.run(8, i -> () -> uploadWithin(others.get(i), 10, 100, 70));
        assertThat(all).filteredOn(a -> a == AttachmentStore.Admission.STORED).hasSize(4);
        assertThat(others.stream().mapToLong(store::totalSize).sum()).isEqualTo(40);
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

    @Test
    @DisplayName("uploads before a time are listed by id in pages; a purged one loses its content, keeps its metadata, and is listed no more")
    void retention() {
        UserId owner = user(Role.PATIENT);
        List<StoredAttachment> old = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            old.add(upload(owner, 10, T0));
        }
        upload(owner, 10, T0.plusSeconds(3600));
        List<String> expected = old.stream().map(a -> a.ref().id().value()).sorted().toList();
        List<StoredAttachment> firstPage = store.uploadedBefore(T0.plusSeconds(60), null, 2);
        List<StoredAttachment> secondPage = store.uploadedBefore(T0.plusSeconds(60), firstPage.get(1).ref().id(), 2);
        assertThat(firstPage).extracting(a -> a.ref().id().value()).containsExactlyElementsOf(expected.subList(0, 2));
        assertThat(secondPage).extracting(a -> a.ref().id().value()).containsExactly(expected.get(2));
        AttachmentId purged = firstPage.get(0).ref().id();
        assertThat(store.purgeContent(purged)).isTrue();
        assertThat(store.purgeContent(purged)).isFalse();
        assertThat(store.content(purged)).isEmpty();
        assertThat(store.find(purged)).isPresent();
        assertThat(store.uploadedBefore(T0.plusSeconds(60), null, 10)).extracting(a -> a.ref().id())
                .doesNotContain(purged).hasSize(2);
    }

    @Test
    @DisplayName("content is replaced only if it is still what was read")
    void replaceContent() {
        StoredAttachment a = upload(user(Role.PATIENT), 3);
        byte[] original = store.content(a.ref().id()).orElseThrow();
        assertThat(store.replaceContent(a.ref().id(), original, new byte[] {9, 9})).isTrue();
        assertThat(store.replaceContent(a.ref().id(), original, new byte[] {7})).isFalse();
        assertThat(store.content(a.ref().id())).hasValueSatisfying(c -> assertThat(c).containsExactly(9, 9));
        assertThat(store.replaceContent(AttachmentId.random(), original, new byte[] {7})).isFalse();
    }

    @Test
    @DisplayName("uploads no message refers to are listed by id in pages; purging one keeps a linked one and frees its quota")
    void unlinkedUploads() {
        UserId doctor = user(Role.DOCTOR);
        Conversation conversation = storage.conversations().openDirect(ConversationId.random(), doctor,
                user(Role.PATIENT), T0);
        StoredAttachment linked = upload(doctor, 10, T0);
        store.link(linked.ref().id(), conversation.id());
        List<StoredAttachment> unlinked = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            unlinked.add(upload(doctor, 10, T0));
        }
        upload(doctor, 10, T0.plusSeconds(3600));
        List<String> expected = unlinked.stream().map(a -> a.ref().id().value()).sorted().toList();
        List<StoredAttachment> firstPage = store.unlinkedBefore(T0.plusSeconds(60), null, 2);
        List<StoredAttachment> secondPage = store.unlinkedBefore(T0.plusSeconds(60), firstPage.get(1).ref().id(), 2);
        assertThat(firstPage).extracting(a -> a.ref().id().value()).containsExactlyElementsOf(expected.subList(0, 2));
        assertThat(secondPage).extracting(a -> a.ref().id().value()).containsExactly(expected.get(2));

        assertThat(store.purgeIfUnlinked(linked.ref().id())).as("a linked upload is kept").isFalse();
        assertThat(store.content(linked.ref().id())).isPresent();
        AttachmentId abandoned = firstPage.get(0).ref().id();
        assertThat(store.purgeIfUnlinked(abandoned)).isTrue();
        assertThat(store.purgeIfUnlinked(abandoned)).isFalse();
        assertThat(store.content(abandoned)).isEmpty();
        assertThat(store.find(abandoned)).isPresent();
        assertThat(store.unlinkedBefore(T0.plusSeconds(60), null, 10)).extracting(a -> a.ref().id())
                .doesNotContain(abandoned, linked.ref().id()).hasSize(2);
        assertThat(uploadWithin(doctor, 10, 50, 1_000)).as("the purged upload's bytes no longer count")
                .isEqualTo(AttachmentStore.Admission.STORED);
    }

    @Test
    @DisplayName("the unlinked upload purge deletes abandoned uploads past their time, keeps linked, recent and held ones, and audits each batch with a count")
    void unlinkedUploadPurge() {
        UserId doctor = user(Role.DOCTOR);
        UserId held = user(Role.PATIENT);
        Conversation conversation = storage.conversations().openDirect(ConversationId.random(), doctor, held, T0);
        List<StoredAttachment> abandoned = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            abandoned.add(upload(doctor, 10, T0));
        }
        StoredAttachment linked = upload(doctor, 10, T0);
        store.link(linked.ref().id(), conversation.id());
        StoredAttachment recent = upload(doctor, 10, T0.plus(Duration.ofHours(23)));
        StoredAttachment underHold = upload(held, 10, T0);
        storage.legalHolds().place(LegalHold.onUser("hold-1", held, doctor, T0));

        UnlinkedUploadPurge purge = UnlinkedUploadPurge.builder()
                .attachments(store)
                .legalHolds(storage.legalHolds())
                .auditSink(storage.auditTrail())
                .clock(Clock.fixed(T0.plus(Duration.ofHours(24)).plusSeconds(1), ZoneOffset.UTC))
                .batchSize(2)
                .build();
        UnlinkedUploadPurge.Result result = purge.runOnce();

        assertThat(result).isEqualTo(new UnlinkedUploadPurge.Result(5, 1));
        for (StoredAttachment a : abandoned) {
            assertThat(store.content(a.ref().id())).as("abandoned upload purged").isEmpty();
        }
        assertThat(store.content(linked.ref().id())).as("linked upload kept").isPresent();
        assertThat(store.content(recent.ref().id())).as("recent upload kept").isPresent();
        assertThat(store.content(underHold.ref().id())).as("held upload kept").isPresent();
        List<AuditEvent> purges = storage.auditTrail().query(new AuditQuery(null, null, null, "attachment.purged", 0, 100))
                .stream().map(AuditRecord::event).toList();
        assertThat(purges).allSatisfy(e -> assertThat(e.reason()).isEqualTo("unlinked"));
        assertThat(purges).extracting(AuditEvent::count).as("one event per batch that purged, with its count").containsExactlyInAnyOrder(2, 2, 1);
        assertThat(storage.auditTrail().verify().valid()).isTrue();
        assertThat(purge.runOnce()).as("nothing left to purge").isEqualTo(new UnlinkedUploadPurge.Result(0, 1));
    }
}
