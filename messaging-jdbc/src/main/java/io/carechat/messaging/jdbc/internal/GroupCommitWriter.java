package io.carechat.messaging.jdbc.internal;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.MessagingException;
import io.carechat.messaging.NotFoundException;
import io.carechat.messaging.UnavailableException;
import io.carechat.messaging.spi.AppendResult;
import io.carechat.messaging.spi.NewMessage;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: one writer thread gathers concurrent appends into one transaction, bounded by a
 * batch size and a wait, and acks each caller only after that transaction commits. Not API.
 * Thread-safe.
 *
 * <p>A message whose conversation does not exist, or whose sender is not a member, fails only its
 * own caller with {@link NotFoundException}; the rest of the batch is written. A message with a
 * value the database cannot store fails the batch's transaction; its messages are then written one
 * by one, so only that caller fails, with {@link io.carechat.messaging.BadRequestException}. If the transaction
 * fails, nothing of the batch is stored and every caller in it gets {@link UnavailableException};
 * a retry with the same {@code clientMsgId} stores the message once. A batch that lost a race with
 * another writer (another node) is run again, up to three times: a unique violation on the
 * sender's key (the other stored the same key first; the rerun finds it), a deadlock or a
 * serialization failure. Conversation rows are locked in id order, which keeps deadlocks away.
 *
 * <p>Lifecycle: the thread starts in the constructor and stops in {@link #close()}, which fails
 * appends still queued with {@link UnavailableException}.
 */
public final class GroupCommitWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
    private static final int QUEUE_CAPACITY = 10_000;
    private static final int ATTEMPTS_ON_RACE = 3;
    private static final long IDLE_POLL_MILLIS = 200;
    private static final long CLOSE_WAIT_MILLIS = 10_000;

    private final Jdbi jdbi;
    private final MessageAppender appender;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final Duration appendTimeout;
    private final BlockingQueue<PendingAppend> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final Thread thread;
    private volatile boolean closed;
    /** Whether the last batch failed; only the writer thread touches it. */
    private boolean failing;

    /**
     * Creates the writer and starts its thread.
     *
     * @param jdbi the configured Jdbi
     * @param appender writes one message in a transaction
     * @param maxBatch the most messages in one transaction, at least 1
     * @param maxWait how long to wait for more messages once one arrived; zero takes only those
     *     already waiting
     * @param appendTimeout how long a caller waits for its commit before getting
     *     {@link UnavailableException}
     * @param threadFactory makes the writer thread
     */
    public GroupCommitWriter(Jdbi jdbi, MessageAppender appender, int maxBatch, Duration maxWait,
            Duration appendTimeout, ThreadFactory threadFactory) {
        this.jdbi = requireNonNull(jdbi, "jdbi");
        this.appender = requireNonNull(appender, "appender");
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1");
        }
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWait.toNanos();
        this.appendTimeout = requireNonNull(appendTimeout, "appendTimeout");
        this.thread = threadFactory.newThread(this::run);
        thread.start();
    }

    /**
     * Appends a message through the next batch and waits for its commit.
     *
     * @param message the message
     * @return the stored message and whether this call created it
     * @throws NotFoundException if the conversation does not exist or the sender is not a member
     * @throws UnavailableException if the batch failed, the commit did not come in time, or the
     *     writer is closed
     */
    public AppendResult append(NewMessage message) {
        requireNonNull(message, "message");
        if (closed) {
            throw new UnavailableException("storage is closed");
        }
        PendingAppend pending = new PendingAppend(message, new CompletableFuture<>());
        if (!queue.offer(pending)) {
            throw new UnavailableException("storage is overloaded, retry later");
        }
        if (closed && queue.remove(pending)) {
            throw new UnavailableException("storage is closed");
        }
        try {
            return pending.result().get(appendTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof MessagingException failure) {
                throw failure;
            }
            throw StorageFailures.unavailable(e.getCause());
        } catch (TimeoutException e) {
            throw new UnavailableException("storage did not commit in time, retry later", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while waiting for storage", e);
        }
    }

    private void run() {
        while (!closed) {
            try {
                PendingAppend first = queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (first != null) {
                    write(gather(first));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private List<PendingAppend> gather(PendingAppend first) throws InterruptedException {
        List<PendingAppend> batch = new ArrayList<>();
        batch.add(first);
        queue.drainTo(batch, maxBatch - 1);
        long deadline = System.nanoTime() + maxWaitNanos;
        while (batch.size() < maxBatch) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                break;
            }
            PendingAppend next = queue.poll(remaining, TimeUnit.NANOSECONDS);
            if (next == null) {
                break;
            }
            batch.add(next);
            queue.drainTo(batch, maxBatch - batch.size());
        }
        return batch;
    }

    private void write(List<PendingAppend> batch) {
        for (int attempt = 1; ; attempt++) {
            List<Outcome> outcomes = new ArrayList<>(batch.size());
            try {
                jdbi.useTransaction(h -> {
                    appender.lockConversations(h, batch.stream().map(p -> p.message().conversationId()).toList());
                    for (PendingAppend pending : batch) {
                        try {
                            outcomes.add(new Outcome(appender.append(h, pending.message()), null));
                        } catch (NotFoundException e) {
                            outcomes.add(new Outcome(null, e));
                        }
                    }
                });
            } catch (JdbiException e) {
                if (StorageFailures.isRetryableRace(e) && attempt < ATTEMPTS_ON_RACE) {
                    continue;
                }
                if (StorageFailures.isDataError(e)) {
                    failOnlyTheMalformed(batch, e);
                    return;
                }
                failAll(batch, StorageFailures.unavailable(e), e);
                return;
            } catch (RuntimeException e) {
                failAll(batch, e, e);
                return;
            }
            if (failing) {
                failing = false;
                LOG.info("group commit works again");
            }
            for (int i = 0; i < batch.size(); i++) {
                outcomes.get(i).completeInto(batch.get(i).result());
            }
            return;
        }
    }

    /**
     * A value of some message cannot be stored: write each message of the batch alone, so only
     * the malformed one fails, with {@link io.carechat.messaging.BadRequestException}.
     */
    private void failOnlyTheMalformed(List<PendingAppend> batch, JdbiException failure) {
        if (batch.size() == 1) {
            batch.get(0).result().completeExceptionally(StorageFailures.malformed(failure));
            return;
        }
        for (PendingAppend pending : batch) {
            write(List.of(pending));
        }
    }

    /** Fails every caller of a batch; logs a warning when failures start, then only at debug level. */
    private void failAll(List<PendingAppend> batch, RuntimeException failure, Exception cause) {
        if (!failing) {
            LOG.warn("group commit of {} messages failed ({}); each caller gets an error and may retry;"
                    + " further failures are logged at debug level until a batch commits", batch.size(), describe(cause));
            failing = true;
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("group commit of {} messages failed ({})", batch.size(), describe(cause));
        }
        for (PendingAppend pending : batch) {
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
     * Stops the writer thread after its current batch and fails every append still queued with
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
        List<PendingAppend> left = new ArrayList<>();
        queue.drainTo(left);
        for (PendingAppend pending : left) {
            pending.result().completeExceptionally(new UnavailableException("storage is closed"));
        }
    }

    /** An append waiting for its batch. */
    private record PendingAppend(NewMessage message, CompletableFuture<AppendResult> result) {}

    /** What one message of a batch came to, delivered once the batch committed. */
    private record Outcome(@Nullable AppendResult result, @Nullable NotFoundException failure) {
        void completeInto(CompletableFuture<AppendResult> future) {
            if (failure != null) {
                future.completeExceptionally(failure);
            } else {
                future.complete(requireNonNull(result, "result"));
            }
        }
    }
}
