package io.carechat.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.error.NotFoundException;
import io.carechat.messaging.error.UnavailableException;
import io.carechat.messaging.memory.InMemoryAttachmentStore;
import io.carechat.messaging.memory.InMemoryAuditSink;
import io.carechat.messaging.memory.InMemoryLegalHoldStore;
import io.carechat.messaging.model.AttachmentRef;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.ConversationKind;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.model.SendRequest;
import io.carechat.messaging.retention.RetentionJob;
import io.carechat.messaging.retention.RetentionPolicy;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.LegalHold;
import io.carechat.messaging.spi.MessageBodyStore;
import io.carechat.messaging.spi.StoredBody;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("RetentionJob")
class RetentionJobTest {
    private static final Duration DAY = Duration.ofDays(1);

    private final Clinic clinic = new Clinic();
    private final InMemoryLegalHoldStore holds = new InMemoryLegalHoldStore();
    private final RetentionPolicy policy = RetentionPolicy.builder()
            .maxMessageAge(ConversationKind.DIRECT, Duration.ofDays(7)).build();
    private Conversation chat;

    @AfterEach
    void close() {
        clinic.close();
    }

    /** Messages sent at day 0, day 1 and day 8; then the clock moves to day 9 (cutoff: day 2). */
    private void threeMessagesThenDayNine() {
        chat = clinic.doctorAndPatient();
        clinic.messaging.send(Clinic.as(clinic.doctor), SendRequest.text(chat.id(), "d0", "day zero"));
        clinic.clock.advance(DAY);
        clinic.messaging.send(Clinic.as(clinic.patient), SendRequest.text(chat.id(), "d1", "day one"));
        clinic.clock.advance(DAY.multipliedBy(7));
        clinic.messaging.send(Clinic.as(clinic.doctor), SendRequest.text(chat.id(), "d8", "day eight"));
        clinic.clock.advance(DAY);
    }

    private RetentionJob job(MessageBodyStore bodies) {
        return RetentionJob.builder().bodies(bodies).conversations(clinic.storage.conversations()).legalHolds(holds)
                .policy(policy).auditSink(clinic.audit).clock(clinic.clock).batchSize(1).build();
    }

    private List<String> bodies() {
        return clinic.messaging.history(Clinic.as(clinic.doctor), chat.id(), null, null).messages().stream()
                .map(m -> m.seq() + ":" + m.body()).toList();
    }

    private long purgeEvents() {
        return clinic.audit.events().stream().filter(e -> e.action().equals("retention.purge")).count();
    }

    @Test
    @DisplayName("messages past their kind's age lose their content but keep their place; newer ones stay; audit events stay")
    void purgesOldContent() {
        threeMessagesThenDayNine();
        int auditBefore = clinic.audit.events().size();
        assertThat(job(clinic.storage.messageBodies()).runOnce()).isEqualTo(new RetentionJob.Result(3, 2, 0, 0));
        assertThat(bodies()).containsExactly("1:", "2:", "3:day eight");
        assertThat(purgeEvents()).isEqualTo(2);
        List<AuditEvent> events = clinic.audit.events();
        assertThat(events.size()).isGreaterThan(auditBefore + 2);
        assertThat(events.subList(0, auditBefore)).as("no audit event is ever purged").hasSize(auditBefore);
        assertThat(clinic.audit.verify().valid()).isTrue();
        assertThat(job(clinic.storage.messageBodies()).runOnce()).isEqualTo(new RetentionJob.Result(3, 0, 0, 0));
    }

    @Test
    @DisplayName("a job built from a storage purges its bodies, honours its legal holds and audits into its trail")
    void builtFromTheStorage() {
        threeMessagesThenDayNine();
        InMemoryAuditSink trail = (InMemoryAuditSink) clinic.storage.auditTrail();
        clinic.storage.legalHolds().place(
                LegalHold.onConversation("hold-1", chat.id(), clinic.admin.id(), clinic.clock.instant()));
        RetentionJob fromStorage = RetentionJob.builder().storage(clinic.storage)
                .policy(RetentionPolicy.builder().maxMessageAge(Duration.ofDays(7)).build()).clock(clinic.clock).build();
        assertThat(fromStorage.runOnce()).isEqualTo(new RetentionJob.Result(3, 0, 2, 0));
        clinic.storage.legalHolds().release("hold-1");
        assertThat(fromStorage.runOnce().purged()).isEqualTo(2);
        assertThat(bodies()).containsExactly("1:", "2:", "3:day eight");
        assertThat(trail.events()).filteredOn(e -> e.action().equals("retention.purge")).hasSize(2);
        assertThat(purgeEvents()).as("nothing went to the messaging's own sink").isZero();
    }

    @Test
    @DisplayName("a legal hold on the conversation suspends the purge until it is released")
    void holdOnConversation() {
        threeMessagesThenDayNine();
        holds.place(LegalHold.onConversation("hold-1", chat.id(), clinic.admin.id(), clinic.clock.instant()));
        assertThat(job(clinic.storage.messageBodies()).runOnce()).isEqualTo(new RetentionJob.Result(3, 0, 2, 0));
        assertThat(bodies()).containsExactly("1:day zero", "2:day one", "3:day eight");
        assertThat(purgeEvents()).isZero();
        holds.release("hold-1");
        assertThat(job(clinic.storage.messageBodies()).runOnce().purged()).isEqualTo(2);
    }

    @Test
    @DisplayName("a legal hold on a member holds every conversation they are in")
    void holdOnUser() {
        threeMessagesThenDayNine();
        holds.place(LegalHold.onUser("hold-1", clinic.patient.id(), clinic.admin.id(), clinic.clock.instant()));
        assertThat(job(clinic.storage.messageBodies()).runOnce()).isEqualTo(new RetentionJob.Result(3, 0, 2, 0));
        assertThat(bodies()).containsExactly("1:day zero", "2:day one", "3:day eight");
    }

    @Test
    @DisplayName("a kind of conversation without a maximum age is kept for ever")
    void keptWithoutPolicy() {
        threeMessagesThenDayNine();
        RetentionJob groupsOnly = RetentionJob.builder().bodies(clinic.storage.messageBodies())
                .conversations(clinic.storage.conversations()).legalHolds(holds)
                .policy(RetentionPolicy.builder().maxMessageAge(ConversationKind.GROUP, DAY).build())
                .auditSink(clinic.audit).clock(clinic.clock).build();
        assertThat(groupsOnly.runOnce().purged()).isZero();
    }

    @Test
    @DisplayName("a purge killed halfway is finished by the next run, nothing purged twice")
    void killedHalfwayThenResumed() {
        threeMessagesThenDayNine();
        AtomicInteger replacements = new AtomicInteger();
        MessageBodyStore dying = new MessageBodyStore() {
            @Override
            public List<StoredBody> scan(@Nullable StoredBody after, int limit) {
                return clinic.storage.messageBodies().scan(after, limit);
            }

            @Override
            public boolean replaceBody(StoredBody expected, String replacement) {
                if (replacements.incrementAndGet() == 2) {
                    throw new IllegalStateException("the node died");
                }
                return clinic.storage.messageBodies().replaceBody(expected, replacement);
            }

            @Override
            public boolean reseal(StoredBody expected, String body, List<AttachmentRef> attachments) {
                return clinic.storage.messageBodies().reseal(expected, body, attachments);
            }
        };
        assertThatThrownBy(() -> job(dying).runOnce()).isInstanceOf(IllegalStateException.class);
        assertThat(bodies()).containsExactly("1:", "2:day one", "3:day eight");
        assertThat(job(clinic.storage.messageBodies()).runOnce()).isEqualTo(new RetentionJob.Result(3, 1, 0, 0));
        assertThat(bodies()).containsExactly("1:", "2:", "3:day eight");
    }

    @Test
    @DisplayName("started on an injected executor, the job runs by itself with the injected clock")
    void scheduled() throws Exception {
        threeMessagesThenDayNine();
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        try {
            RetentionJob scheduledJob = RetentionJob.builder().bodies(clinic.storage.messageBodies())
                    .conversations(clinic.storage.conversations()).legalHolds(holds).policy(policy)
                    .auditSink(clinic.audit).clock(clinic.clock).executor(executor).build();
            ScheduledFuture<?> schedule = scheduledJob.start(Duration.ofMillis(20));
            for (int i = 0; i < 500 && purgeEvents() < 2; i++) {
                Thread.sleep(20);
            }
            schedule.cancel(false);
            assertThat(bodies()).containsExactly("1:", "2:", "3:day eight");
        } finally {
            executor.shutdownNow();
            assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    @DisplayName("without an audit trail nothing is purged")
    void failsClosed() {
        threeMessagesThenDayNine();
        RetentionJob unaudited = RetentionJob.builder().bodies(clinic.storage.messageBodies())
                .conversations(clinic.storage.conversations()).legalHolds(holds).policy(policy)
                .auditSink(event -> {
                    throw new IllegalStateException("audit store down");
                })
                .clock(clinic.clock).build();
        assertThatThrownBy(unaudited::runOnce).isInstanceOf(UnavailableException.class);
        assertThat(bodies()).containsExactly("1:day zero", "2:day one", "3:day eight");
    }

    @Test
    @DisplayName("attachments past their age lose their content unless held; downloads then answer not found")
    void attachments() {
        InMemoryAttachmentStore store = new InMemoryAttachmentStore();
        try (Clinic withFiles = new Clinic(b -> b.attachmentStore(store))) {
            Conversation c = withFiles.doctorAndPatient();
            AttachmentRef sent = withFiles.messaging.uploadAttachment(Clinic.as(withFiles.patient), "a.pdf", null,
                    new java.io.ByteArrayInputStream(AttachmentsTest.pdf(100, "a")));
            withFiles.messaging.send(Clinic.as(withFiles.patient),
                    new SendRequest(c.id(), "m1", "", Priority.NORMAL, List.of(sent.id())));
            AttachmentRef unsent = withFiles.messaging.uploadAttachment(Clinic.as(withFiles.otherPatient), "b.pdf", null,
                    new java.io.ByteArrayInputStream(AttachmentsTest.pdf(100, "b")));
            withFiles.clock.advance(DAY.multipliedBy(3));
            RetentionJob.Builder builder = RetentionJob.builder().bodies(withFiles.storage.messageBodies())
                    .conversations(withFiles.storage.conversations()).legalHolds(holds).auditSink(withFiles.audit)
                    .clock(withFiles.clock).attachments(store)
                    .policy(RetentionPolicy.builder().maxAttachmentAge(ConversationKind.DIRECT, DAY.multipliedBy(2))
                            .build());
            holds.place(LegalHold.onConversation("hold-1", c.id(), withFiles.admin.id(), withFiles.clock.instant()));
            assertThat(builder.build().runOnce()).isEqualTo(new RetentionJob.Result(1, 0, 1, 1));
            assertThat(store.content(unsent.id())).isEmpty();
            assertThat(store.content(sent.id())).isPresent();
            holds.release("hold-1");
            assertThat(builder.build().runOnce().attachmentsPurged()).isEqualTo(1);
            assertThatThrownBy(() -> withFiles.messaging.downloadAttachment(Clinic.as(withFiles.doctor), sent.id()))
                    .isInstanceOf(NotFoundException.class);
            assertThat(withFiles.messaging.history(Clinic.as(withFiles.doctor), c.id(), null, null).messages().get(0)
                    .attachments()).containsExactly(sent);
        }
    }

    /** A scheduler's run as the job sees it: starts at a cursor, records checkpoints, stops after some. */
    private static final class RecordingRun implements io.carechat.messaging.jobs.JobRun {
        private final @org.jspecify.annotations.Nullable String start;
        private final long startProcessed;
        private final int stopAfter;
        final List<String> checkpoints = new java.util.ArrayList<>();
        long processed;

        RecordingRun(@org.jspecify.annotations.Nullable String start, long startProcessed, int stopAfter) {
            this.start = start;
            this.startProcessed = startProcessed;
            this.stopAfter = stopAfter;
        }

        @Override
        public @org.jspecify.annotations.Nullable String cursor() {
            return start;
        }

        @Override
        public long processed() {
            return startProcessed;
        }

        @Override
        public boolean checkpoint(@org.jspecify.annotations.Nullable String cursor, long count) {
            checkpoints.add(cursor);
            processed = count;
            return checkpoints.size() < stopAfter;
        }
    }

    @Test
    @DisplayName("run by a scheduler, it saves its cursor after each batch, and a run stopped midway resumes from it")
    void resumesFromCursor() {
        threeMessagesThenDayNine();
        RecordingRun first = new RecordingRun(null, 0, 1);
        job(clinic.storage.messageBodies()).run(first);

        assertThat(first.checkpoints).containsExactly("m:1:" + chat.id().value());
        assertThat(bodies()).containsExactly("1:", "2:day one", "3:day eight");

        RecordingRun second = new RecordingRun(first.checkpoints.get(0), first.processed, Integer.MAX_VALUE);
        job(clinic.storage.messageBodies()).run(second);

        assertThat(second.checkpoints).as("continues after the first body, not from the beginning")
                .startsWith("m:2:" + chat.id().value());
        assertThat(second.processed).isEqualTo(3);
        assertThat(bodies()).containsExactly("1:", "2:", "3:day eight");
        assertThat(purgeEvents()).isEqualTo(2);
    }
}
