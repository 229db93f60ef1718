package io.carechat.messaging.jdbc.internal;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.error.MessagingException;
import io.carechat.messaging.error.NotFoundException;
import io.carechat.messaging.error.UnavailableException;
import io.carechat.messaging.metrics.MessagingMetrics;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.spi.AppendResult;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.KeyProvider;
import io.carechat.messaging.spi.NewMessage;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: one writer thread gathers concurrent appends and audit events into one
 * transaction, bounded by a batch size and a wait, and answers each caller only after that
 * transaction commits. A batch costs a fixed number of statements whatever its size
 * ({@link MessageAppender} for the messages, {@link AuditChainAppender} for the events), run on
 * the writer's own connection with statements prepared once ({@link WriterConnection}). Not API.
 * Thread-safe.
 *
 * <p>An append's audit event is written in the same transaction as its message, and only when the
 * message is accepted (new, or a repeat of a stored key). The chain is extended once per batch, in
 * queue order. A message whose conversation does not exist, or whose sender is not a member, fails
 * only its own caller with {@link NotFoundException}. A value the database cannot store fails the
 * batch's transaction; its items are then written one by one, so only that caller fails, with
 * {@link io.carechat.messaging.error.BadRequestException}. If the transaction fails otherwise, nothing of
 * the batch is stored and every caller in it gets {@link UnavailableException}; a retry with the
 * same {@code clientMsgId} stores the message once. A commit that fails may still have committed
 * (a connection lost while the database answered it): the writer then asks the database whether
 * the batch is stored before it writes the next batch, and answers the callers as committed when
 * it is, so a stored message is never left unannounced behind an {@code unavailable}. A batch that lost a race with another writer
 * (another node) is run again, up to three times: a unique violation on a sender's key (the other
 * stored the same key first; the rerun finds it), a deadlock or a serialization failure.
 *
 * <p>With a {@link CommitAnnouncer} ({@link #announceThrough}, PostgreSQL only), each batch also
 * notifies the other nodes of its new messages in its own transaction, one more statement per
 * batch: the notifications go out exactly when the batch commits (a rerun after a race, or a
 * batch rolled back, announces nothing, as PostgreSQL discards the notifications of a transaction
 * that does not commit), and the announcer learns which messages were announced before their
 * callers are answered, also when a commit reported as failed turns out to have committed.
 *
 * <p>The append timeout bounds an item's wait for its batch: an item still queued when it passes is
 * failed with {@link UnavailableException} and never written, so a caller told to retry never
 * finds its message stored behind its back, committed but never announced. Once its batch is taken
 * for writing, the caller waits for that batch's outcome, which the pool's connection timeout and
 * the query timeout bound.
 *
 * <p>Lifecycle: the thread starts in the constructor and stops in {@link #close()}, which fails
 * items still queued with {@link UnavailableException}.
 */
public final class GroupCommitWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
    private static final int QUEUE_CAPACITY = 10_000;
    private static final int ATTEMPTS_ON_RACE = 3;
    private static final long IDLE_POLL_MILLIS = 200;
    private static final long CLOSE_WAIT_MILLIS = 10_000;
    /** How far apart the writer asks whether a commit reported as failed committed. */
    private static final long SETTLE_RETRY_MILLIS = 100;

    private final WriterConnection connection;
    private final Dialect dialect;
    private final MessageAppender appender;
    private final AuditChainAppender auditAppender;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final Duration appendTimeout;
    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final Thread thread;
    private final MessagingMetrics metrics;
    private volatile boolean closed;
    /** Announces each batch's new messages in its transaction, or null for none. */
    private volatile @Nullable CommitAnnouncer announcer;
    /** Whether the last batch failed; only the writer thread touches it. */
    private boolean failing;

    /**
     * Creates the writer and starts its thread.
     *
     * @param connection the writer's own connection
     * @param dialect what differs on the database, such as which failures are races worth a rerun
     * @param maxBatch the most items in one transaction, at least 1
     * @param maxWait how long to wait for more items once one arrived; zero takes only those
     *     already waiting
     * @param appendTimeout how long an item waits in the queue for its batch before its caller
     *     gets {@link UnavailableException} and it is dropped unwritten
     * @param threadFactory makes the writer thread
     * @param metrics where batches, their waits, failures and the queues are reported
     */
    public GroupCommitWriter(WriterConnection connection, Dialect dialect, int maxBatch, Duration maxWait,
            Duration appendTimeout, ThreadFactory threadFactory, MessagingMetrics metrics) {
        this.metrics = requireNonNull(metrics, "metrics");
        this.connection = requireNonNull(connection, "connection");
        this.dialect = requireNonNull(dialect, "dialect");
        this.appender = new MessageAppender(dialect);
        this.auditAppender = new AuditChainAppender(dialect);
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1");
        }
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWait.toNanos();
        this.appendTimeout = requireNonNull(appendTimeout, "appendTimeout");
        metrics.watchStorageQueues(queue::size, this::queuedAuditEvents);
        this.thread = threadFactory.newThread(this::run);
        thread.start();
    }

    /**
     * Keys the audit chain for the batches that start from now on.
     *
     * @param keys the key provider whose current MAC key hashes new events
     */
    public void useAuditKeys(KeyProvider keys) {
        auditAppender.useKeys(keys);
    }

    /**
     * Announces the new messages of every batch that starts from now on through the announcer, in
     * the batch's transaction. Only for a database whose {@link Dialect#notifiesOnCommit()}.
     *
     * @param value the announcer of the event bus on this database
     * @throws IllegalStateException if the database has no transactional notifications, or another
     *     announcer was given before
     */
    public synchronized void announceThrough(CommitAnnouncer value) {
        requireNonNull(value, "announcer");
        if (!dialect.notifiesOnCommit()) {
            throw new IllegalStateException(dialect.productName() + " cannot announce commits in their transaction");
        }
        if (announcer != null && announcer != value) {
            throw new IllegalStateException("commits are already announced through another event bus");
        }
        announcer = value;
    }

    /**
     * Appends a message through the next batch, with the audit event of its send if given, and
     * waits for the commit.
     *
     * @param message the message
     * @param sendEvent the event to add to the audit chain in the same transaction when the
     *     message is accepted, or null
     * @return the stored message and whether this call created it
     * @throws NotFoundException if the conversation does not exist or the sender is not a member
     * @throws UnavailableException if the batch failed, the commit did not come in time, or the
     *     writer is closed
     */
    public AppendResult append(NewMessage message, @Nullable AuditEvent sendEvent) {
        return await(appendAsync(message, sendEvent));
    }

    /**
     * Queues a message for the next batch, with the audit event of its send if given, and returns
     * at once.
     *
     * @param message the message
     * @param sendEvent the event to add to the audit chain in the same transaction when the
     *     message is accepted, or null
     * @return completes on the writer thread once the batch committed, or fails with
     *     {@link NotFoundException} or {@link UnavailableException} (also when the commit does not
     *     come within the append timeout)
     */
    public CompletableFuture<AppendResult> appendAsync(NewMessage message, @Nullable AuditEvent sendEvent) {
        return enqueue(new PendingAppend(requireNonNull(message, "message"), sendEvent, new CompletableFuture<>(),
                new AtomicBoolean(), System.nanoTime()));
    }

    /**
     * Adds an event to the audit chain through the next batch and waits for the commit.
     *
     * @param event the event
     * @throws UnavailableException if the batch failed, the commit did not come in time, or the
     *     writer is closed
     */
    public void record(AuditEvent event) {
        await(enqueue(new PendingAudit(requireNonNull(event, "event"), new CompletableFuture<>(), new AtomicBoolean(),
                System.nanoTime())));
    }

    /** The audit events waiting for a batch, counted through the queue (for a gauge, read rarely). */
    private int queuedAuditEvents() {
        int count = 0;
        for (Pending pending : queue) {
            if (pending instanceof PendingAudit) {
                count++;
            }
        }
        return count;
    }

    /** Queues an item; the future fails with {@link UnavailableException} when it cannot be. */
    private <T> CompletableFuture<T> enqueue(Pending pending) {
        if (closed) {
            return CompletableFuture.failedFuture(new UnavailableException("storage is closed"));
        }
        if (!queue.offer(pending)) {
            return CompletableFuture.failedFuture(new UnavailableException("storage is overloaded, retry later"));
        }
        if (closed && queue.remove(pending)) {
            return CompletableFuture.failedFuture(new UnavailableException("storage is closed"));
        }
        @SuppressWarnings("unchecked")
        CompletableFuture<T> result = (CompletableFuture<T>) pending.result();
        CompletableFuture.delayedExecutor(appendTimeout.toNanos(), TimeUnit.NANOSECONDS).execute(() -> {
            if (pending.claim()) {
                result.completeExceptionally(new TimeoutException());
            }
        });
        return result.handle((value, failure) -> {
            if (failure == null) {
                return value;
            }
            throw translate(failure);
        });
    }

    /** The failure a caller sees: a CareChat exception, the timeout as unavailable. */
    private static MessagingException translate(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof MessagingException messaging) {
            return messaging;
        }
        if (cause instanceof TimeoutException) {
            return new UnavailableException("storage did not commit in time, retry later", cause);
        }
        return StorageFailures.unavailable(cause);
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            throw translate(e);
        }
    }

    private void run() {
        while (!closed) {
            try {
                Pending first = queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    connection.release();
                } else {
                    List<Pending> batch = gather(first);
                    if (!batch.isEmpty()) {
                        write(batch);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("group commit writer failed unexpectedly ({}); it goes on", e.getClass().getName());
            }
        }
        connection.close();
    }

    /** Takes the items of the next batch, leaving out those whose append timeout passed in the queue. */
    private List<Pending> gather(Pending first) throws InterruptedException {
        List<Pending> taken = new ArrayList<>();
        taken.add(first);
        queue.drainTo(taken, maxBatch - 1);
        long deadline = System.nanoTime() + maxWaitNanos;
        while (taken.size() < maxBatch) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                break;
            }
            Pending next = queue.poll(remaining, TimeUnit.NANOSECONDS);
            if (next == null) {
                break;
            }
            taken.add(next);
            queue.drainTo(taken, maxBatch - taken.size());
        }
        List<Pending> batch = new ArrayList<>(taken.size());
        for (Pending pending : taken) {
            if (pending.claim()) {
                batch.add(pending);
            }
        }
        if (!batch.isEmpty()) {
            metrics.groupCommit(batch.size(), System.nanoTime() - batch.get(0).queuedAt());
        }
        return batch;
    }

    private void write(List<Pending> batch) {
        for (int attempt = 1; ; attempt++) {
            Written written;
            try {
                written = writeOnce(batch);
            } catch (SQLException | RuntimeException | AssertionError e) {
                // The PostgreSQL driver throws AssertionError when the connection dies during a
                // batch; it is a lost connection like any other, not a reason to stop the writer.
                if (dialect.isRetryableRace(e) && attempt < ATTEMPTS_ON_RACE) {
                    connection.rollback();
                    continue;
                }
                if (StorageFailures.isDataError(e)) {
                    metrics.storageError("malformed");
                    connection.rollback();
                    failOnlyTheMalformed(batch, e);
                    return;
                }
                connection.discard();
                failAll(batch, e instanceof MessagingException m ? m : StorageFailures.unavailable(e), e);
                return;
            }
            try {
                connection.commit();
            } catch (SQLException | RuntimeException | AssertionError e) {
                if (dialect.isRetryableRace(e) && attempt < ATTEMPTS_ON_RACE) {
                    connection.rollback();
                    continue;
                }
                connection.discard();
                settleUnknownCommit(batch, written, e);
                return;
            }
            answer(batch, written);
            return;
        }
    }

    /**
     * Answers each caller of a committed batch with its outcome, after telling the announcer what
     * the commit announced.
     */
    private void answer(List<Pending> batch, Written written) {
        if (failing) {
            failing = false;
            LOG.info("group commit works again");
        }
        if (written.announcer() != null) {
            written.announcer().committed(written.announced());
        }
        List<MessageAppender.Outcome> outcomes = written.outcomes();
        int next = 0;
        for (Pending pending : batch) {
            MessageAppender.Outcome outcome = pending instanceof PendingAppend ? outcomes.get(next++) : null;
            try {
                if (outcome == null) {
                    pending.result().complete(null);
                } else if (outcome.accepted()) {
                    ((PendingAppend) pending).result().complete(outcome.result());
                } else {
                    pending.result().completeExceptionally(requireNonNull(outcome.refusal(), "refusal"));
                }
            } catch (RuntimeException e) {
                // A caller's continuation failed on this thread (an executor that refused it):
                // the other callers of the batch are still answered.
                LOG.warn("answering a caller of a committed batch failed ({})", e.getClass().getName());
            }
        }
    }

    /**
     * What one transaction wrote: each message's outcome, and the new messages announced in it
     * through the announcer (none without one).
     */
    private record Written(List<MessageAppender.Outcome> outcomes, @Nullable CommitAnnouncer announcer,
            List<Message> announced) {

        /** The messages this transaction created, in batch order. */
        List<Message> created() {
            return createdBy(outcomes);
        }
    }

    /** The messages that outcomes of one transaction created, in batch order. */
    private static List<Message> createdBy(List<MessageAppender.Outcome> outcomes) {
        List<Message> created = new ArrayList<>();
        for (MessageAppender.Outcome outcome : outcomes) {
            if (outcome.accepted() && requireNonNull(outcome.result(), "result").created()) {
                created.add(outcome.result().message());
            }
        }
        return created;
    }

    /**
     * The statements of one transaction, the batch's messages, the audit events of the accepted
     * ones and the announcement of the new ones, left uncommitted.
     */
    private Written writeOnce(List<Pending> batch) throws SQLException {
        List<NewMessage> messages = new ArrayList<>(batch.size());
        for (Pending pending : batch) {
            if (pending instanceof PendingAppend append) {
                messages.add(append.message());
            }
        }
        List<MessageAppender.Outcome> outcomes =
                messages.isEmpty() ? List.of() : appender.appendAll(connection, messages);
        List<AuditEvent> events = new ArrayList<>(batch.size());
        int next = 0;
        for (Pending pending : batch) {
            if (pending instanceof PendingAppend append) {
                if (outcomes.get(next++).accepted() && append.sendEvent() != null) {
                    events.add(append.sendEvent());
                }
            } else if (pending instanceof PendingAudit audit) {
                events.add(audit.event());
            }
        }
        if (!events.isEmpty()) {
            auditAppender.appendAll(connection, events);
        }
        CommitAnnouncer announcing = announcer;
        List<Message> announced =
                announcing == null ? List.of() : announcing.announce(connection, createdBy(outcomes));
        return new Written(outcomes, announcing, announced);
    }

    /**
     * The commit failed, so whether the batch is stored is unknown: a connection lost while
     * committing may have committed on the database. Telling the callers {@code unavailable} then
     * would leave stored messages unannounced (a retry finds them stored, and a repeat is not
     * announced again), so the writer asks the database on a new connection, before it writes any
     * later batch, whether the first message the batch created is stored, and answers every caller
     * as committed or as failed accordingly. It keeps asking, a little apart, for as long as the
     * append timeout while the database cannot answer; after that, or when the batch created no
     * message (nothing to look for), its callers get {@code unavailable}, which a retry with the
     * same keys settles. The batch's announcements ({@link CommitAnnouncer}) went out exactly if
     * it committed, so a batch answered as committed is recorded as announced.
     */
    private void settleUnknownCommit(List<Pending> batch, Written written, Throwable failure) {
        List<Message> created = written.created();
        if (created.isEmpty()) {
            failAll(batch, StorageFailures.unavailable(failure), failure);
            return;
        }
        long deadline = System.nanoTime() + appendTimeout.toNanos();
        while (true) {
            try {
                boolean committed = appender.isStored(connection, created);
                connection.rollback();
                if (committed) {
                    LOG.info("a commit reported as failed ({}) had committed; its callers are answered as committed",
                            describe(failure));
                    answer(batch, written);
                } else {
                    failAll(batch, StorageFailures.unavailable(failure), failure);
                }
                return;
            } catch (SQLException | RuntimeException | AssertionError e) {
                connection.discard();
                if (closed || System.nanoTime() > deadline) {
                    LOG.warn("whether a failed commit of {} items committed could not be checked ({}); each caller"
                            + " gets an error and may retry", batch.size(), describe(e));
                    failAll(batch, StorageFailures.unavailable(failure), failure);
                    return;
                }
                try {
                    Thread.sleep(SETTLE_RETRY_MILLIS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    failAll(batch, StorageFailures.unavailable(failure), failure);
                    return;
                }
            }
        }
    }

    /**
     * A value of some item cannot be stored: write each item of the batch alone, so only the
     * malformed one fails, with {@link io.carechat.messaging.error.BadRequestException}.
     */
    private void failOnlyTheMalformed(List<Pending> batch, Throwable failure) {
        if (batch.size() == 1) {
            batch.get(0).result().completeExceptionally(StorageFailures.malformed(failure));
            return;
        }
        for (Pending pending : batch) {
            write(List.of(pending));
        }
    }

    /** Fails every caller of a batch; logs a warning when failures start, then only at debug level. */
    private void failAll(List<Pending> batch, RuntimeException failure, Throwable cause) {
        metrics.storageError("commit");
        if (!failing) {
            LOG.warn("group commit of {} items failed ({}); each caller gets an error and may retry;"
                    + " further failures are logged at debug level until a batch commits", batch.size(), describe(cause));
            failing = true;
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("group commit of {} items failed ({})", batch.size(), describe(cause));
        }
        for (Pending pending : batch) {
            pending.result().completeExceptionally(failure);
        }
    }

    /** Names a failure by its types and SQL states only: driver messages may quote values. */
    private static String describe(Throwable failure) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (sb.length() > 0) {
                sb.append(" <- ");
            }
            sb.append(t.getClass().getSimpleName());
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                sb.append('[').append(sql.getSQLState()).append(']');
            }
        }
        return sb.toString();
    }

    /**
     * Tells whether the writer takes batches: not closed, and its thread alive.
     *
     * @return true while running
     */
    public boolean isRunning() {
        return !closed && thread.isAlive();
    }

    /**
     * Stops the writer thread after its current batch and fails every item still queued with
     * {@link UnavailableException}. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        try {
            thread.join(CLOSE_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("group commit writer did not stop within {} ms; it is left to end on its own",
                    CLOSE_WAIT_MILLIS);
        }
        List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        for (Pending pending : left) {
            pending.result().completeExceptionally(new UnavailableException("storage is closed"));
        }
    }

    /**
     * An item waiting for its batch. Claimed once, by whichever comes first: the writer taking it
     * into a batch, or its append timeout.
     */
    private sealed interface Pending permits PendingAppend, PendingAudit {
        CompletableFuture<?> result();

        AtomicBoolean claimed();

        /** When it was queued, in {@link System#nanoTime()}. */
        long queuedAt();

        /** @return true for the one caller that claims the item */
        default boolean claim() {
            return claimed().compareAndSet(false, true);
        }
    }

    /** A message, with the audit event of its send or null, waiting for its batch. */
    private record PendingAppend(NewMessage message, @Nullable AuditEvent sendEvent,
            CompletableFuture<AppendResult> result, AtomicBoolean claimed, long queuedAt) implements Pending {}

    /** An audit event waiting for its batch. */
    private record PendingAudit(AuditEvent event, CompletableFuture<Object> result, AtomicBoolean claimed,
            long queuedAt) implements Pending {}
}
