package io.carechat.messaging.nats.internal;

import io.carechat.messaging.bus.Backoff;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.PublishOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes this node's events to the stream, off the publishers' threads: one thread takes what
 * was queued and publishes it, in queued order, waiting for the stream's acknowledgement. Each
 * event carries a message id, so an event resent after a failure is stored once. While the
 * connection is down it waits, retrying with backoff. Not API. Thread-safe.
 *
 * <p>The queue is bounded: an event that finds it full is dropped, and once publishing works
 * again the thread publishes a marker that tells the other nodes to catch their sessions up from
 * the store. Lifecycle: the thread starts in the constructor; {@link #close()} publishes what is
 * queued (bounded in time), then stops.
 */
public final class StreamPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamPublisher.class);
    private static final long IDLE_POLL_MILLIS = 200;
    private static final long CLOSE_WAIT_MILLIS = 5_000;

    /**
     * One event to publish.
     *
     * @param id its message id, unique per node and event
     * @param body its payload
     */
    public record Outgoing(String id, byte[] body) {}

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
        if (!queue.offer(outgoing) && !dropped.getAndSet(true)) {
            LOG.warn("the NATS event bus's publish queue is full; events for the other nodes are dropped,"
                    + " and their sessions catch up from the store once publishing works again");
        }
    }

    private void run() {
        Outgoing pending = null;
        boolean failing = false;
        while (true) {
            try {
                if (pending == null) {
                    if (closed && queue.isEmpty()) {
                        return;
                    }
                    pending = queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
                    if (pending == null && !dropped.get()) {
                        continue;
                    }
                }
                JetStream js = jetStream();
                if (dropped.getAndSet(false)) {
                    try {
                        publish(js, missedMarker.get());
                    } catch (IOException | JetStreamApiException | RuntimeException e) {
                        dropped.set(true);
                        throw e;
                    }
                    LOG.info("the NATS event bus told the other nodes to catch up after dropped events");
                }
                if (pending != null) {
                    publish(js, pending);
                    pending = null;
                }
                if (failing) {
                    LOG.info("the NATS event bus publishes again");
                    failing = false;
                }
                backoff.reset();
            } catch (IOException | JetStreamApiException | RuntimeException e) {
                if (closed) {
                    LOG.warn("the NATS event bus closed with {} events it could not publish ({})",
                            queue.size() + (pending == null ? 0 : 1), e.getClass().getName());
                    return;
                }
                if (!failing) {
                    LOG.warn("the NATS event bus could not publish ({}); retrying", e.getClass().getName());
                    failing = true;
                }
                if (!backoff.pause()) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
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

    private void publish(JetStream js, Outgoing outgoing) throws IOException, JetStreamApiException {
        js.publish(subject, outgoing.body(), PublishOptions.builder()
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
