package io.carechat.messaging.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.model.AttachmentRef;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.Messaging;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.SendRequest;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.jobs.JobScheduler;
import io.carechat.messaging.jobs.JobStatus;
import io.carechat.messaging.memory.InMemoryAttachmentStore;
import io.carechat.messaging.memory.InMemoryAuditSink;
import io.carechat.messaging.memory.InMemoryEventBus;
import io.carechat.messaging.memory.InMemoryStorage;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.JobRecord;
import io.carechat.messaging.spi.KeyProvider;
import io.carechat.messaging.spi.MessageBodyStore;
import io.carechat.messaging.spi.MessageRecall;
import io.carechat.messaging.spi.StoredBody;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("KeyRotationJob")
class KeyRotationJobTest {
    private final InMemoryStorage storage = new InMemoryStorage();
    private final InMemoryEventBus bus = new InMemoryEventBus();
    private final InMemoryAuditSink audit = new InMemoryAuditSink();
    private final StaticKeyProvider oldKeys = StaticKeyProvider.generate("k1");
    private final StaticKeyProvider rotated = oldKeys.withNewKey("k2");
    private final User doctor = user("doc", Role.DOCTOR);
    private final User patient = user("pat", Role.PATIENT);
    private final User otherPatient = user("pat2", Role.PATIENT);

    private User user(String name, Role role) {
        return storage.users().create(new User(UserId.random(), name, name + "@example.org", name, Set.of(role),
                true, Instant.parse("2026-01-01T00:00:00Z")), "hash");
    }

    private Messaging messaging(KeyProvider keys) {
        return Messaging.builder().storage(storage).eventBus(bus).auditSink(audit).keyProvider(keys).build();
    }

    @AfterEach
    void close() {
        bus.close();
    }

    /** Sends six messages in two conversations under the old key; returns the conversations. */
    private List<Conversation> sixMessagesUnderOldKey() {
        try (Messaging m = messaging(oldKeys)) {
            Conversation a = m.openDirect(Caller.of(doctor), patient.id());
            Conversation b = m.openDirect(Caller.of(doctor), otherPatient.id());
            for (int i = 1; i <= 3; i++) {
                m.send(Caller.of(doctor), SendRequest.text(a.id(), "a" + i, "note a" + i));
                m.send(Caller.of(doctor), SendRequest.text(b.id(), "b" + i, "note b" + i));
            }
            return List.of(a, b);
        }
    }

    private Map<String, Long> keyIdsInStore() {
        return storage.messageBodies().scan(null, 100).stream().collect(
                java.util.stream.Collectors.groupingBy(b -> FieldCipher.keyIdOf(b.body()),
                        java.util.stream.Collectors.counting()));
    }

    private List<String> bodiesReadWith(KeyProvider keys, Conversation c) {
        try (Messaging m = messaging(keys)) {
            return m.history(Caller.of(doctor), c.id(), null, null).messages().stream().map(x -> x.body()).toList();
        }
    }

    private KeyRotationJob job(MessageBodyStore bodies) {
        return KeyRotationJob.builder().bodies(bodies).keyProvider(rotated).auditSink(audit).batchSize(2).build();
    }

    @Test
    @DisplayName("after a rotation new messages use the new key and old ones still read back")
    void newWritesUseNewKey() {
        List<Conversation> cs = sixMessagesUnderOldKey();
        try (Messaging m = messaging(rotated)) {
            m.send(Caller.of(doctor), SendRequest.text(cs.get(0).id(), "a4", "note a4"));
        }
        assertThat(keyIdsInStore()).containsEntry("k1", 6L).containsEntry("k2", 1L);
        assertThat(bodiesReadWith(rotated, cs.get(0))).containsExactly("note a1", "note a2", "note a3", "note a4");
    }

    @Test
    @DisplayName("a run moves every body to the current key, so the old key can then be dropped")
    void fullRun() {
        List<Conversation> cs = sixMessagesUnderOldKey();
        KeyRotationJob.Result result = job(storage.messageBodies()).run();
        assertThat(result).isEqualTo(new KeyRotationJob.Result(6, 6, 0, true));
        assertThat(keyIdsInStore()).containsOnlyKeys("k2");
        StaticKeyProvider onlyNew = StaticKeyProvider.of(
                Map.of("k2", rotated.key("k2").orElseThrow().getEncoded()), "k2");
        assertThat(bodiesReadWith(onlyNew, cs.get(1))).containsExactly("note b1", "note b2", "note b3");
        assertThat(audit.events()).filteredOn(e -> e.action().equals("key.rotate"))
                .extracting(AuditEvent::reason).containsExactly("started", "completed");
    }

    @Test
    @DisplayName("a job built from a storage moves its bodies to the current key and audits into its trail")
    void builtFromTheStorage() {
        sixMessagesUnderOldKey();
        KeyRotationJob fromStorage = KeyRotationJob.builder().storage(storage).keyProvider(rotated).build();
        assertThat(fromStorage.run()).isEqualTo(new KeyRotationJob.Result(6, 6, 0, true));
        assertThat(keyIdsInStore()).containsOnlyKeys("k2");
        InMemoryAuditSink trail = (InMemoryAuditSink) storage.auditTrail();
        assertThat(trail.events()).filteredOn(e -> e.action().equals("key.rotate"))
                .extracting(AuditEvent::reason).containsExactly("started", "completed");
        assertThat(audit.events()).filteredOn(e -> e.action().equals("key.rotate")).isEmpty();
    }

    @Test
    @DisplayName("a run stopped halfway leaves every body readable, and the next run finishes the rest")
    void stoppedHalfwayThenResumed() {
        List<Conversation> cs = sixMessagesUnderOldKey();
        AtomicInteger replaced = new AtomicInteger();
        KeyRotationJob[] holder = new KeyRotationJob[1];
        holder[0] = job(new Forwarding(storage.messageBodies()) {
            @Override
            public boolean reseal(StoredBody expected, String replacement, List<AttachmentRef> attachments) {
                boolean done = super.reseal(expected, replacement, attachments);
                if (replaced.incrementAndGet() == 3) {
                    holder[0].stop();
                }
                return done;
            }
        });
        KeyRotationJob.Result first = holder[0].run();
        assertThat(first.completed()).isFalse();
        assertThat(keyIdsInStore()).containsEntry("k1", 3L).containsEntry("k2", 3L);
        assertThat(bodiesReadWith(rotated, cs.get(0))).containsExactly("note a1", "note a2", "note a3");

        KeyRotationJob.Result second = job(storage.messageBodies()).run();
        assertThat(second).isEqualTo(new KeyRotationJob.Result(6, 3, 0, true));
        assertThat(keyIdsInStore()).containsOnlyKeys("k2");
        assertThat(audit.events()).filteredOn(e -> e.action().equals("key.rotate"))
                .extracting(AuditEvent::reason).containsExactly("started", "stopped", "started", "completed");
    }

    @Test
    @DisplayName("stopped by the application under a scheduler, the run is recorded as stopped and the next resumes")
    void stoppedUnderAScheduler() {
        sixMessagesUnderOldKey();
        AtomicInteger replaced = new AtomicInteger();
        KeyRotationJob[] holder = new KeyRotationJob[1];
        holder[0] = job(new Forwarding(storage.messageBodies()) {
            @Override
            public boolean reseal(StoredBody expected, String replacement, List<AttachmentRef> attachments) {
                boolean done = super.reseal(expected, replacement, attachments);
                if (replaced.incrementAndGet() == 3) {
                    holder[0].stop();
                }
                return done;
            }
        });
        try (JobScheduler scheduler = JobScheduler.builder().leaseStore(storage.jobLeases())
                .job(holder[0], Duration.ofHours(1)).build()) {
            assertThat(scheduler.runDueJobs()).containsExactly(KeyRotationJob.NAME);
            JobStatus status = scheduler.status().get(0);
            assertThat(status.outcome()).isEqualTo(JobRecord.Outcome.STOPPED);
            assertThat(status.resumable()).as("the next run continues from the last checkpoint").isTrue();
            assertThat(status.processed()).isEqualTo(2);
        }
        assertThat(keyIdsInStore()).containsEntry("k1", 3L).containsEntry("k2", 3L);
    }

    @Test
    @DisplayName("a run that crashes halfway is finished by the next run")
    void crashedThenResumed() {
        sixMessagesUnderOldKey();
        AtomicInteger calls = new AtomicInteger();
        KeyRotationJob crashing = job(new Forwarding(storage.messageBodies()) {
            @Override
            public boolean reseal(StoredBody expected, String replacement, List<AttachmentRef> attachments) {
                if (calls.incrementAndGet() == 4) {
                    throw new IllegalStateException("the node died");
                }
                return super.reseal(expected, replacement, attachments);
            }
        });
        assertThatThrownBy(crashing::run).isInstanceOf(IllegalStateException.class);
        assertThat(keyIdsInStore()).containsEntry("k2", 3L);
        assertThat(job(storage.messageBodies()).run()).isEqualTo(new KeyRotationJob.Result(6, 3, 0, true));
        assertThat(keyIdsInStore()).containsOnlyKeys("k2");
    }

    @Test
    @DisplayName("a tampered body is left alone, counted and audited, and the rest are moved")
    void tamperedBodyIsReported() {
        sixMessagesUnderOldKey();
        StoredBody victim = storage.messageBodies().scan(null, 1).get(0);
        StoredBody other = storage.messageBodies().scan(victim, 1).get(0);
        storage.messageBodies().replaceBody(victim, other.body());
        KeyRotationJob.Result result = job(storage.messageBodies()).run();
        assertThat(result).isEqualTo(new KeyRotationJob.Result(6, 5, 1, true));
        assertThat(audit.events()).filteredOn(e -> e.action().equals("integrity.failure"))
                .singleElement().satisfies(e -> assertThat(e.objectId()).isEqualTo(victim.messageId().value()));
    }

    @Test
    @DisplayName("with the attachment store, attachment content moves to the new key too and still downloads")
    void attachments() {
        InMemoryAttachmentStore files = new InMemoryAttachmentStore();
        byte[] pdf = "%PDF-1.4 lab results %%EOF".getBytes(StandardCharsets.US_ASCII);
        AttachmentRef ref;
        try (Messaging m = Messaging.builder().storage(storage).eventBus(bus).auditSink(audit).keyProvider(oldKeys)
                .attachmentStore(files).build()) {
            ref = m.uploadAttachment(Caller.of(patient), "lab.pdf", null, new ByteArrayInputStream(pdf));
        }
        KeyRotationJob.Result result = KeyRotationJob.builder().bodies(storage.messageBodies()).attachments(files)
                .keyProvider(rotated).auditSink(audit).build().run();
        assertThat(result).isEqualTo(new KeyRotationJob.Result(1, 1, 0, true));
        assertThat(FieldCipher.keyIdOf(files.content(ref.id()).orElseThrow())).isEqualTo("k2");
        StaticKeyProvider onlyNew = StaticKeyProvider.of(
                Map.of("k2", rotated.key("k2").orElseThrow().getEncoded()), "k2");
        try (Messaging m = Messaging.builder().storage(storage).eventBus(bus).auditSink(audit).keyProvider(onlyNew)
                .attachmentStore(files).build()) {
            assertThat(m.downloadAttachment(Caller.of(patient), ref.id()).content()).isEqualTo(pdf);
        }
    }

    /** Forwards to a body store; tests override one method. */
    @Test
    @DisplayName("a run seals recall reasons again under the current key, bound to their message, and they still open")
    void recallReasons() {
        List<Conversation> cs = sixMessagesUnderOldKey();
        try (Messaging m = messaging(oldKeys)) {
            m.recall(Caller.of(doctor), cs.get(0).id(), 1, "wrong patient");
        }
        MessageRecall before = storage.messageBodies().scanRecalls(null, 10).get(0);
        assertThat(FieldCipher.keyIdOf(before.sealedReason().substring(SealedText.MARK.length()))).isEqualTo("k1");

        KeyRotationJob.Result result = job(storage.messageBodies()).run();

        assertThat(result).isEqualTo(new KeyRotationJob.Result(7, 7, 0, true));
        MessageRecall after = storage.messageBodies().scanRecalls(null, 10).get(0);
        assertThat(FieldCipher.keyIdOf(after.sealedReason().substring(SealedText.MARK.length()))).isEqualTo("k2");
        assertThat(new SealedText(new FieldCipher(rotated)).open(after.sealedReason(),
                FieldCipher.FieldContext.recallReason(after.conversationId(), after.messageId())))
                .isEqualTo("wrong patient");
        assertThat(storage.messageBodies().replaceRecallReason(before, "/sealed/stale")).as("compare and set").isFalse();
        assertThat(job(storage.messageBodies()).run()).isEqualTo(new KeyRotationJob.Result(7, 0, 0, true));
    }

    private static class Forwarding implements MessageBodyStore {
        private final MessageBodyStore delegate;

        Forwarding(MessageBodyStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public List<StoredBody> scan(@Nullable StoredBody after, int limit) {
            return delegate.scan(after, limit);
        }

        @Override
        public boolean replaceBody(StoredBody expected, String replacement) {
            return delegate.replaceBody(expected, replacement);
        }

        @Override
        public boolean reseal(StoredBody expected, String body, List<AttachmentRef> attachments) {
            return delegate.reseal(expected, body, attachments);
        }
    }
}
