package io.carechat.messaging.jdbc.internal;

import io.carechat.messaging.bus.Backoff;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends this node's notifications with {@code pg_notify}, off the publishers' threads: one thread
 * takes what was queued and sends it in one statement on a pooled connection, in queued order. A
 * failed send is retried with backoff, in order, while the bus is open. Not API. Thread-safe.
 *
 * <p>The queue is bounded: a payload that finds it full is dropped and logged, and the other
 * nodes miss that event until their sessions reconnect. Lifecycle: the thread starts in the
 * constructor; {@link #close()} sends what is queued (bounded in time), then stops.
 */
public final class NotificationSender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NotificationSender.class);
    private static final int MAX_PER_STATEMENT = 256;
    private static final long IDLE_POLL_MILLIS = 200;
    private static final long CLOSE_WAIT_MILLIS = 5_000;
    private static final String NOTIFY_ALL = "SELECT pg_notify(?, payload) FROM unnest(?::text[]) AS payload";

    private final DataSource dataSource;
    private final String channel;
    private final Backoff backoff;
    private final BlockingQueue<String> queue;
    private final Thread thread;
    private volatile boolean closed;

    /**
     * Creates the sender and starts its thread.
     *
     * @param dataSource where to get a connection for each send
     * @param channel the channel, already validated as an identifier
     * @param capacity how many payloads may wait
     * @param minBackoff the first wait after a failed send
     * @param maxBackoff the longest wait between attempts
     * @param threadFactory makes the thread
     */
    public NotificationSender(DataSource dataSource, String channel, int capacity, Duration minBackoff,
            Duration maxBackoff, ThreadFactory threadFactory) {
        this.dataSource = dataSource;
        this.channel = channel;
        this.backoff = new Backoff(minBackoff, maxBackoff);
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = threadFactory.newThread(this::run);
        thread.start();
    }

    /**
     * Queues a payload without blocking.
     *
     * @param payload the notification's text
     */
    public void send(String payload) {
        if (!queue.offer(payload)) {
            LOG.warn("the event bus's send queue is full; a notification for the other nodes was dropped");
        }
    }

    private void run() {
        List<String> batch = new ArrayList<>();
        while (!closed || !queue.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    String first = queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    queue.drainTo(batch, MAX_PER_STATEMENT - 1);
                }
                notifyAll(batch);
                batch.clear();
                backoff.reset();
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    LOG.warn("the event bus closed with {} notifications it could not send ({})",
                            batch.size() + queue.size(), e.getClass().getName());
                    return;
                }
                LOG.warn("the event bus could not send notifications ({}); retrying", e.getClass().getName());
                if (!backoff.pause()) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void notifyAll(List<String> payloads) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(NOTIFY_ALL)) {
            Array array = connection.createArrayOf("text", payloads.toArray());
            try {
                statement.setString(1, channel);
                statement.setArray(2, array);
                statement.execute();
            } finally {
                array.free();
            }
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
        }
    }

    /** Sends what is queued, waiting a bounded time, then stops the thread. Idempotent. */
    @Override
    public void close() {
        closed = true;
        try {
            thread.join(CLOSE_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            thread.interrupt();
        }
    }
}
