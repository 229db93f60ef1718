package io.carechat.messaging.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.error.BadRequestException;
import io.carechat.messaging.error.MessagingException;
import io.carechat.messaging.error.NotFoundException;
import io.carechat.messaging.error.UnavailableException;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AppendResult;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.AuditQuery;
import io.carechat.messaging.spi.AuditTrail;
import io.carechat.messaging.spi.NewMessage;
import io.carechat.messaging.tck.Concurrently;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Group commit's rules, for each database. Appends wait up to a second for their batch to fill,
 * so concurrent callers share one transaction; the commit counter shows how many there were.
 */
@EachDatabase
@DisplayName("Group commit")
class GroupCommitTest {
    /**
     * What one batch of messages with their audit events may cost where rows go as JDBC batches
     * (H2, MariaDB): lock, members, stored keys, insert, conversations, unread; chain head, events, head
     * again.
     */
    private static final int STATEMENTS_PER_BATCH = 9;
    /**
     * The same where rows go as arrays (PostgreSQL): lock, members, stored keys, then insert,
     * conversations and unread in one statement; chain head, then events and head in one.
     */
    private static final int STATEMENTS_PER_BATCH_AS_ARRAYS = 6;
    /**
     * The same on PostgreSQL when the storage announces its commits through an event bus: one
     * {@code pg_notify} more for the batch's new messages.
     */
    private static final int STATEMENTS_PER_BATCH_ANNOUNCED = STATEMENTS_PER_BATCH_AS_ARRAYS + 1;

    private TestDatabase database;
    private CommitFailingDataSource dataSource;
    private JdbcStorage storage;
    private PostgresEventBus announcingBus;

    private final DatabaseUnderTest databaseUnderTest;

    GroupCommitTest(DatabaseUnderTest databaseUnderTest) {
        this.databaseUnderTest = databaseUnderTest;
    }

    /** A fresh, empty database. */
    private TestDatabase openDatabase() {
        return databaseUnderTest.open();
    }

    private void start(int maxBatch) {
        database = openDatabase();
        dataSource = new CommitFailingDataSource(database.dataSource());
        storage = JdbcStorage.builder(dataSource).groupCommit(maxBatch, Duration.ofSeconds(1)).build();
    }

    @AfterEach
    void stop() {
        if (announcingBus != null) {
            announcingBus.close();
        }
        if (storage != null) {
            storage.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    @DisplayName("a batch whose commit is reported failed after it committed acks its callers as committed, once, in order")
    void commitWhoseReplyIsLostIsAnsweredAsCommitted() {
        start(8);
        List<UserId> members = Fixtures.patients(storage, 4);
        Conversation group = storage.conversations().createGroup(ConversationId.random(), members, Fixtures.T0);
        List<NewMessage> messages = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            messages.add(Fixtures.message(group.id(), members.get(i), "lost-reply-" + i));
        }
        dataSource.loseCommitReplies(true);

        List<Object> answered = Concurrently.run(4, i -> () -> appendOrFailure(messages.get(i)));

        dataSource.loseCommitReplies(false);
        assertThat(answered).as("told the truth: committed, not unavailable")
                .allMatch(r -> r instanceof AppendResult a && a.created());
        List<Message> stored = storage.messages().history(group.id(), null, 100).messages();
        assertThat(stored).extracting(Message::seq).containsExactly(1L, 2L, 3L, 4L);
        assertThat(answered).extracting(r -> ((AppendResult) r).message().id())
                .containsExactlyInAnyOrderElementsOf(stored.stream().map(Message::id).toList());
        assertThat(appendOrFailure(messages.get(0))).as("a retry finds the same message")
                .isInstanceOfSatisfying(AppendResult.class, r -> {
                    assertThat(r.created()).isFalse();
                    assertThat(r.message().id()).isEqualTo(((AppendResult) answered.get(0)).message().id());
                });
    }

    @Test
    @DisplayName("a failed batch acks nobody and stores nothing; its callers' retries store each message once")
    void failedBatchStoresNothingAndRetriesStoreOnce() {
        start(8);
        List<UserId> members = Fixtures.patients(storage, 8);
        Conversation group = storage.conversations().createGroup(ConversationId.random(), members, Fixtures.T0);
        List<NewMessage> messages = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            messages.add(Fixtures.message(group.id(), members.get(i), "key-" + i));
        }
        dataSource.resetCommitCount();
        dataSource.failCommits(true);

        List<Object> failed = Concurrently.run(8, i -> () -> appendOrFailure(messages.get(i)));

        assertThat(failed).allMatch(UnavailableException.class::isInstance);
        assertThat(dataSource.commitCount()).as("one batch, one commit").isEqualTo(1);
        assertThat(storage.messages().history(group.id(), null, 100).messages()).isEmpty();
        assertThat(storage.conversations().members(group.id())).allSatisfy(m -> assertThat(m.unread()).isZero());
        assertThat(storage.conversations().listFor(members.get(0), 10).get(0).lastSeq()).isZero();

        dataSource.failCommits(false);
        List<Object> retried = Concurrently.run(8, i -> () -> appendOrFailure(messages.get(i)));
        List<Object> retriedAgain = Concurrently.run(8, i -> () -> appendOrFailure(messages.get(i)));

        assertThat(retried).allMatch(r -> r instanceof AppendResult a && a.created());
        assertThat(retriedAgain).allMatch(r -> r instanceof AppendResult a && !a.created());
        for (int i = 0; i < 8; i++) {
            assertThat(((AppendResult) retriedAgain.get(i)).message())
                    .isEqualTo(((AppendResult) retried.get(i)).message());
        }
        List<Message> history = storage.messages().history(group.id(), null, 100).messages();
        assertThat(history).extracting(Message::seq).containsExactlyElementsOf(oneTo(8));
        assertThat(history).extracting(Message::clientMsgId).doesNotHaveDuplicates().hasSize(8);
        assertThat(storage.conversations().members(group.id())).allSatisfy(m -> assertThat(m.unread()).isEqualTo(7));
    }

    @Test
    @DisplayName("a message from a non-member fails only its own caller; the rest of its batch is stored")
    void oneBadMessageFailsOnlyItsCaller() {
        start(4);
        List<UserId> members = Fixtures.patients(storage, 3);
        UserId stranger = Fixtures.user(storage, Role.PATIENT);
        Conversation group = storage.conversations().createGroup(ConversationId.random(), members, Fixtures.T0);
        dataSource.resetCommitCount();

        List<Object> outcomes = Concurrently.run(4, i -> () -> appendOrFailure(
                Fixtures.message(group.id(), i < 3 ? members.get(i) : stranger, "key-" + i)));

        assertThat(dataSource.commitCount()).as("one batch, one commit").isEqualTo(1);
        assertThat(outcomes.subList(0, 3)).allMatch(r -> r instanceof AppendResult a && a.created());
        assertThat(outcomes.get(3)).isInstanceOf(NotFoundException.class);
        assertThat(storage.messages().history(group.id(), null, 100).messages())
                .extracting(Message::seq).containsExactlyElementsOf(oneTo(3));
    }

    @Test
    @DisplayName("a message the database cannot store fails only its own caller with bad_request; the rest of its batch is stored")
    void oneMalformedMessageFailsOnlyItsCaller() {
        start(4);
        List<UserId> members = Fixtures.patients(storage, 4);
        Conversation group = storage.conversations().createGroup(ConversationId.random(), members, Fixtures.T0);
        String tooLongKey = "k".repeat(65);

        List<Object> outcomes = Concurrently.run(4, i -> () -> appendOrFailure(
                Fixtures.message(group.id(), members.get(i), i < 3 ? "key-" + i : tooLongKey)));

        assertThat(outcomes.subList(0, 3)).allMatch(r -> r instanceof AppendResult a && a.created());
        assertThat(outcomes.get(3)).isInstanceOf(BadRequestException.class);
        assertThat(storage.messages().history(group.id(), null, 100).messages())
                .extracting(Message::seq).containsExactlyElementsOf(oneTo(3));
    }

    @Test
    @DisplayName("the same clientMsgId twice in one batch is stored once, and both callers get that message")
    void sameKeyTwiceInOneBatchIsStoredOnce() {
        start(2);
        UserId doctor = Fixtures.user(storage, Role.DOCTOR);
        UserId patient = Fixtures.user(storage, Role.PATIENT);
        Conversation c = storage.conversations().openDirect(ConversationId.random(), doctor, patient, Fixtures.T0);
        dataSource.resetCommitCount();

        List<Object> outcomes = Concurrently.run(2, i -> () -> appendOrFailure(Fixtures.message(c.id(), doctor, "same")));

        assertThat(dataSource.commitCount()).as("one batch, one commit").isEqualTo(1);
        assertThat(outcomes).allMatch(AppendResult.class::isInstance);
        AppendResult first = (AppendResult) outcomes.get(0);
        AppendResult second = (AppendResult) outcomes.get(1);
        assertThat(first.created()).isNotEqualTo(second.created());
        assertThat(first.message()).isEqualTo(second.message());
        assertThat(storage.messages().history(c.id(), null, 10).messages()).containsExactly(first.message());
        assertThat(storage.conversations().member(c.id(), patient).orElseThrow().unread()).isEqualTo(1);
    }

    @Test
    @DisplayName("a batch costs a fixed number of statements whatever its size, prepared once and reused across batches")
    void batchCostsFixedStatementsPreparedOnce() {
        countStatementsPerBatch(false);
    }

    @Test
    @DisplayName("on PostgreSQL, announcing commits through the event bus costs one statement more per batch")
    void announcingCostsOneStatementMore() {
        Assumptions.assumeTrue(databaseUnderTest == DatabaseUnderTest.POSTGRESQL,
                "only PostgreSQL announces commits in their transaction");
        countStatementsPerBatch(true);
    }

    /**
     * Sends concurrently and counts the writer's statements, optionally with the storage
     * announcing its commits through a {@link PostgresEventBus} (PostgreSQL only).
     */
    private void countStatementsPerBatch(boolean announcing) {
        database = openDatabase();
        StatementCountingDataSource counting = new StatementCountingDataSource(database.dataSource(), "counted-writer");
        storage = JdbcStorage.builder(counting)
                .groupCommit(64, Duration.ofMillis(5))
                .threadFactory(runnable -> {
                    Thread thread = new Thread(runnable, "counted-writer");
                    thread.setDaemon(true);
                    return thread;
                })
                .build();
        int senders = 16;
        int perSender = 25;
        List<UserId> members = Fixtures.patients(storage, senders);
        Conversation group = storage.conversations().createGroup(ConversationId.random(), members, Fixtures.T0);
        AuditTrail trail = storage.auditTrail();
        if (announcing) {
            PostgresEventBus bus = PostgresEventBus.builder(counting, storage)
                    .listenerConnections(((PostgresTestDatabase) database)::connect).build();
            announcingBus = bus;
            storage.announceCommitsThrough(bus);
        }
        counting.reset();

        Concurrently.run(senders, i -> () -> {
            for (int k = 0; k < perSender; k++) {
                NewMessage message = Fixtures.message(group.id(), members.get(i), "s" + i + "-" + k);
                storage.messages().append(message, AuditEvent.builder(Fixtures.T0, "message.send",
                        AuditEvent.Outcome.SUCCESS).object("conversation", group.id().value()).build(), trail);
            }
            return null;
        });

        int messages = senders * perSender;
        int batches = counting.commits();
        boolean asArrays = databaseUnderTest == DatabaseUnderTest.POSTGRESQL;
        int perBatch = announcing ? STATEMENTS_PER_BATCH_ANNOUNCED
                : asArrays ? STATEMENTS_PER_BATCH_AS_ARRAYS : STATEMENTS_PER_BATCH;
        assertThat(storage.messages().history(group.id(), null, 1000).messages()).hasSize(messages);
        assertThat(batches).as("concurrent sends share transactions").isLessThan(messages);
        assertThat(counting.executions()).as("statements for %d batches", batches)
                .isLessThanOrEqualTo(perBatch * batches);
        if (announcing) {
            assertThat(counting.executions()).as("the batches' notifications among them")
                    .isGreaterThan(STATEMENTS_PER_BATCH_AS_ARRAYS * batches);
        }
        assertThat(counting.connections()).as("connections the writer took").isLessThan(batches);
        // MariaDB has no arrays: the idempotency lookup lists the batch's (sender, key) pairs, its
        // length rounded up to a power of two, so it is prepared once per such length (1 to 16 here)
        int pairListLengths = databaseUnderTest == DatabaseUnderTest.MARIADB
                ? Integer.numberOfTrailingZeros(Integer.highestOneBit(senders)) + 1 : 1;
        assertThat(counting.prepares()).as("statements prepared on %d connections", counting.connections())
                .isLessThanOrEqualTo((perBatch + pairListLengths - 1) * Math.max(1, counting.connections()));
        if (asArrays) {
            assertThat(counting.batchedRows()).as("rows sent one execution each").isZero();
        }
        assertThat(storage.messages().history(group.id(), null, 1000).messages()).extracting(Message::seq)
                .as("gapless seq across batches").containsExactlyElementsOf(oneTo(messages));
        assertThat(storage.conversations().members(group.id())).as("unread: every message but one's own")
                .allSatisfy(m -> assertThat(m.unread()).isEqualTo(messages - perSender));
        assertThat(trail.verify().valid()).isTrue();
    }

    @Test
    @DisplayName("a send whose batch fails to commit leaves neither its message nor its audit event")
    void failedCommitLeavesNeitherMessageNorEvent() {
        start(8);
        List<UserId> members = Fixtures.patients(storage, 2);
        Conversation group = storage.conversations().createGroup(ConversationId.random(), members, Fixtures.T0);
        AuditTrail trail = storage.auditTrail();
        NewMessage message = Fixtures.message(group.id(), members.get(0), "k1");
        AuditEvent event = AuditEvent.builder(Fixtures.T0, "message.send", AuditEvent.Outcome.SUCCESS)
                .object("conversation", group.id().value()).build();
        dataSource.failCommits(true);

        assertThat(appendAuditedOrFailure(message, event, trail)).isInstanceOf(UnavailableException.class);
        dataSource.failCommits(false);
        assertThat(storage.messages().history(group.id(), null, 10).messages()).isEmpty();
        assertThat(trail.query(AuditQuery.between(null, null, 100))).isEmpty();

        assertThat(appendAuditedOrFailure(message, event, trail)).isInstanceOf(AppendResult.class);
        assertThat(storage.messages().history(group.id(), null, 10).messages()).hasSize(1);
        assertThat(trail.query(AuditQuery.between(null, null, 100))).hasSize(1);
        assertThat(trail.verify().valid()).isTrue();
    }

    @Test
    @DisplayName("an append whose timeout passes while it waits in the queue gets unavailable and is never written; the append being written waits for its outcome")
    void appendTimedOutInTheQueueIsNeverWritten() throws Exception {
        database = openDatabase();
        GatedDataSource gate = new GatedDataSource(database.dataSource());
        storage = JdbcStorage.builder(gate).groupCommit(1, Duration.ZERO).appendTimeout(Duration.ofMillis(200)).build();
        List<UserId> members = Fixtures.patients(storage, 2);
        Conversation group = storage.conversations().createGroup(ConversationId.random(), members, Fixtures.T0);
        gate.close();

        CompletableFuture<Object> first = CompletableFuture.supplyAsync(
                () -> appendOrFailure(Fixtures.message(group.id(), members.get(0), "written")));
        gate.awaitWaiting();
        Object timedOut = appendOrFailure(Fixtures.message(group.id(), members.get(1), "timed-out"));
        gate.open();

        assertThat(timedOut).isInstanceOf(UnavailableException.class);
        assertThat(first.get(1, TimeUnit.MINUTES)).as("the append taken for writing before the gate closed")
                .isInstanceOfSatisfying(AppendResult.class, r -> assertThat(r.created()).isTrue());
        assertThat(appendOrFailure(Fixtures.message(group.id(), members.get(1), "after")))
                .isInstanceOf(AppendResult.class);
        assertThat(storage.messages().history(group.id(), null, 10).messages()).extracting(Message::clientMsgId)
                .as("the timed-out append was dropped, not stored behind its caller's back")
                .containsExactly("written", "after");
    }

    private Object appendAuditedOrFailure(NewMessage message, AuditEvent event, AuditTrail trail) {
        try {
            return storage.messages().append(message, event, trail);
        } catch (MessagingException e) {
            return e;
        }
    }

    private Object appendOrFailure(NewMessage message) {
        try {
            return storage.messages().append(message);
        } catch (MessagingException e) {
            return e;
        }
    }

    private static List<Long> oneTo(int n) {
        return LongStream.rangeClosed(1, n).boxed().toList();
    }
}
