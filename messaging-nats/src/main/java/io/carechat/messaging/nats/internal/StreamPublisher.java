package io.carechat.messaging.nats.internal;

import io.carechat.messaging.bus.Backoff;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import java.io.IOException;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes this node's events to the stream, off the publishers' threads: one thread takes what
 * was queued, up to {@value #BATCH} events at a time, publishes them in queued order without
 * waiting between them, then waits for the stream's acknowledgements and completes each event's
 * {@link Outgoing#confirmed()}. Each event carries a message id, so an event resent after a
 * failure is stored once. While the connection is down it waits, retrying with backoff. Not API.
 * Thread-safe.
 *
 * <p>The queue is bounded: an event that finds it full is dropped (its confirmation fails), and
 * once publishing works again the thread publishes a marker that tells the other nodes to catch
 * their sessions up from the store. Lifecycle: the thread starts in the constructor; {@link
 * #close()} publishes what is queued (bounded in time), then stops and fails the confirmations of
 * what it could not publish.
 */
public final class StreamPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamPublisher.class);
    private static final long IDLE_POLL_MILLIS = 200;
    private static final long CLOSE_WAIT_MILLIS = 5_000;
    private static final long ACK_WAIT_MILLIS = 5_000;
    /** The most events published before waiting for their acknowledgements. */
    static final int BATCH = 256;

    /**
     * One event to publish.
     *
     * @param id its message id, unique per node and event
     * @param body its payload
     * @param confirmed completes once the stream has stored the event; fails when it was dropped
     *     or the publisher closed first
     */
    public record Outgoing(String id, byte[] body, CompletableFuture<Void> confirmed) {
        /**
         * An event with a confirmation of its own.
         *
         * @param id its message id, unique per node and event
         * @param body its payload
         */
        public Outgoing(String id, byte[] body) {
            this(id, body, new CompletableFuture<>());
        }
    }

    private final Supplier<@Nullable Connection> connections;
    private final String streamName;
    private final String subject;
    private final Supplier<Outgoing> missedMarker;
    private final Backoff backoff;
    private final BlockingQueue<Outgoing> queue;
    private final AtomicBoolean dropped = new AtomicBoolean();
    private final Thread thread;
    private @Nullable Connection jetStreamOf;
    private @Nullable JetStream jetStream;
    private volatile boolean closed;

    /**
     * Creates the publisher and starts its thread.
     *
     * @param connections the link's current connection, or null before the first connect
     * @param streamName the stream every event must land in
     * @param subject this node's subject
     * @param missedMarker makes the marker published after events were dropped
     * @param capacity how many events may wait
     * @param minBackoff the first wait after a failed publish
     * @param maxBackoff the longest wait between attempts
     * @param threadFactory makes the thread
     */
    public StreamPublisher(Supplier<@Nullable Connection> connections, String streamName, String subject,
            Supplier<Outgoing> missedMarker, int capacity, Duration minBackoff, Duration maxBackoff,
            ThreadFactory threadFactory) {
        this.connections = connections;
        this.streamName = streamName;
        this.subject = subject;
        this.missedMarker = missedMarker;
        this.backoff = new Backoff(minBackoff, maxBackoff);
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = threadFactory.newThread(this::run);
        thread.start();
    }

    /**
     * Queues an event without blocking; drops it when the queue is full.
     *
     * @param outgoing the event
     */
    public void send(Outgoing outgoing) {
        if (closed) {
            outgoing.confirmed().completeExceptionally(new IllegalStateException("the NATS event bus is closed"));
            return;
        }
        if (!queue.offer(outgoing)) {
            outgoing.confirmed().completeExceptionally(
                    new IllegalStateException("the NATS event bus's publish queue is full"));
            if (!dropped.getAndSet(true)) {
                LOG.warn("the NATS event bus's publish queue is full; events for the other nodes are dropped,"
                        + " and their sessions catch up from the store once publishing works again");
            }
        }
    }

    private void run() {
        List<Outgoing> batch = new ArrayList<>(BATCH);
        boolean failing = false;
        try {
            while (true) {
                try {
                    if (batch.isEmpty()) {
                        if (closed && queue.isEmpty()) {
                            return;
                        }
                        Outgoing first = queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
                        if (first == null && !dropped.get()) {
                            continue;
                        }
                        if (first != null) {
                            batch.add(first);
                        }
                    }
                    JetStream js = jetStream();
                    // only once linked: while down, what waits stays in the bounded queue
                    queue.drainTo(batch, BATCH - batch.size());
                    if (dropped.getAndSet(false)) {
                        try {
                            publish(js, missedMarker.get()).get(ACK_WAIT_MILLIS, TimeUnit.MILLISECONDS);
                        } catch (ExecutionException | TimeoutException | RuntimeException e) {
                            dropped.set(true);
                            throw e;
                        }
                        LOG.info("the NATS event bus told the other nodes to catch up after dropped events");
                    }
                    publishAll(js, batch);
                    if (failing) {
                        LOG.info("the NATS event bus publishes again");
                        failing = false;
                    }
                    backoff.reset();
                } catch (IOException | ExecutionException | TimeoutException | RuntimeException e) {
                    if (closed) {
                        LOG.warn("the NATS event bus closed with {} events it could not publish ({})",
                                queue.size() + batch.size(), e.getClass().getName());
                        return;
                    }
                    if (!failing) {
                        LOG.warn("the NATS event bus could not publish ({}); retrying", e.getClass().getName());
                        failing = true;
                    }
                    if (!backoff.pause()) {
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            failAll(batch);
        }
    }

    /**
     * Publishes the batch in order without waiting in between, then waits for each
     * acknowledgement, confirming and removing each acknowledged event from the front of the
     * batch; on a failure what remains is published again (the message ids keep it stored once).
     */
    private void publishAll(JetStream js, List<Outgoing> batch)
            throws IOException, ExecutionException, TimeoutException, InterruptedException {
        List<CompletableFuture<PublishAck>> acks = new ArrayList<>(batch.size());
        for (Outgoing outgoing : batch) {
            acks.add(publish(js, outgoing));
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ACK_WAIT_MILLIS);
        for (CompletableFuture<PublishAck> ack : acks) {
            ack.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            batch.remove(0).confirmed().complete(null);
        }
    }

    /** Fails the confirmations of what is left when the thread stops. */
    private void failAll(List<Outgoing> batch) {
        List<Outgoing> left = new ArrayList<>(batch);
        queue.drainTo(left);
        IllegalStateException closedFirst = new IllegalStateException("the NATS event bus closed before publishing");
        for (Outgoing outgoing : left) {
            outgoing.confirmed().completeExceptionally(closedFirst);
        }
    }

    private JetStream jetStream() throws IOException {
        Connection c = connections.get();
        if (c == null || c.getStatus() != Connection.Status.CONNECTED) {
            throw new IOException("the connection to NATS is not up");
        }
        if (c != jetStreamOf || jetStream == null) {
            jetStream = c.jetStream();
            jetStreamOf = c;
        }
        return jetStream;
    }

    private CompletableFuture<PublishAck> publish(JetStream js, Outgoing outgoing) {
        return js.publishAsync(subject, outgoing.body(), PublishOptions.builder()
                .expectedStream(streamName)
                .messageId(outgoing.id())
                .build());
    }

    /** Publishes what is queued, waiting a bounded time, then stops the thread. Idempotent. */
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
