package io.carechat.messaging.nats.internal;

import io.carechat.messaging.bus.Backoff;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.ErrorListener;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.MessageConsumer;
import io.nats.client.MessageHandler;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.OrderedConsumerConfiguration;
import io.nats.client.support.Status;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bus's link to NATS: one thread that connects, makes sure the stream exists, and reads it
 * with an ordered consumer that starts at the newest event. The NATS client reconnects by itself;
 * after its connection was lost, or the consumer stalled (missed heartbeats), failed (deleted on
 * the server, for one) or stopped, the
 * thread replaces the consumer with a new one that again starts at the newest event, and then
 * tells its {@link Handler} that events may have been missed. It does the same when the stream's
 * sequence skips (events removed by the stream's limits before this node read them). It knows its
 * bus only through the {@link Handler}. Not API. Thread-safe.
 *
 * <p>Lifecycle: the thread starts in {@link #start()} and connects in the background;
 * {@link #close()} stops the consumer, closes the connection and stops the thread.
 */
public final class StreamLink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamLink.class);
    private static final long CHECK_MILLIS = 500;
    private static final long CLOSE_WAIT_MILLIS = 5_000;
    private static final int STREAM_NOT_FOUND = 10059;
    private static final int STREAM_NAME_IN_USE = 10058;

    /** What the link reports. Called on NATS client threads or the link thread; must not block. */
    public interface Handler {
        /**
         * An event arrived on the stream, from any node, this one included.
         *
         * @param data the stored message's bytes
         */
        void onPayload(byte[] data);

        /** Events may have been missed: the link was down, the consumer replaced, or the stream skipped. */
        void onMissed();
    }

    private final Options options;
    private final StreamSettings settings;
    private final Backoff backoff;
    private final Handler handler;
    private final Thread thread;
    private final Object signal = new Object();
    private final AtomicBoolean rebuild = new AtomicBoolean(true);
    private final AtomicLong generation = new AtomicLong();
    private volatile @Nullable Connection connection;
    private volatile @Nullable MessageConsumer consumer;
    private volatile boolean linked;
    private volatile boolean closed;
    private boolean signalled;
    /** Whether a consumer read the stream before; only the link thread uses it. */
    private boolean hadLinked;

    /**
     * Creates the link; call {@link #start()}.
     *
     * @param options the connection's options, servers and credentials set; the link adds its
     *     listeners and reconnection policy
     * @param settings the stream
     * @param minBackoff the first wait after a failure
     * @param maxBackoff the longest wait between attempts
     * @param threadFactory makes the link thread
     * @param handler gets events and losses
     */
    public StreamLink(Options.Builder options, StreamSettings settings, Duration minBackoff, Duration maxBackoff,
            ThreadFactory threadFactory, Handler handler) {
        this.settings = settings;
        this.backoff = new Backoff(minBackoff, maxBackoff);
        this.handler = handler;
        this.options = options
                .maxReconnects(-1)
                .reconnectDelayHandler(attempt -> Backoff.nth(minBackoff, maxBackoff, attempt))
                .connectionListener(new ConnectionWatcher())
                .errorListener(new ErrorWatcher())
                .build();
        this.thread = threadFactory.newThread(this::run);
    }

    /** Starts the thread, which connects in the background. */
    public void start() {
        thread.start();
    }

    /**
     * Tells whether the connection is up and the consumer reads the stream now.
     *
     * @return true while linked
     */
    public boolean isLinked() {
        Connection c = connection;
        return linked && c != null && c.getStatus() == Connection.Status.CONNECTED;
    }

    /**
     * The connection, for publishing; null until the first connect succeeded.
     *
     * @return the connection, or null
     */
    public @Nullable Connection connection() {
        return connection;
    }

    private void run() {
        while (!closed) {
            try {
                Connection c = connection;
                if (c == null) {
                    c = Nats.connect(options);
                    connection = c;
                    if (closed) {
                        break;
                    }
                }
                MessageConsumer current = consumer;
                if (current != null && current.isStopped() && !rebuild.get()) {
                    LOG.warn("the NATS event bus's consumer stopped; replacing it");
                    linked = false;
                    rebuild.set(true);
                }
                if (c.getStatus() == Connection.Status.CONNECTED && rebuild.getAndSet(false)) {
                    subscribe(c);
                }
                awaitSignal();
            } catch (IOException | JetStreamApiException | RuntimeException e) {
                linked = false;
                rebuild.set(true);
                if (closed) {
                    break;
                }
                LOG.warn("the NATS event bus could not read its stream ({}); retrying in {} ms",
                        e.getClass().getName(), backoff.nextMillis());
                if (!backoff.pause()) {
                    break;
                }
            } catch (InterruptedException e) {
                break;
            }
        }
        linked = false;
    }

    private void subscribe(Connection c) throws IOException, JetStreamApiException {
        stopConsumer();
        ensureStream(c.jetStreamManagement());
        long mine = generation.incrementAndGet();
        consumer = c.getStreamContext(settings.streamName())
                .createOrderedConsumer(new OrderedConsumerConfiguration()
                        .filterSubject(settings.subjects())
                        .deliverPolicy(DeliverPolicy.New))
                .consume(new Reader(mine));
        linked = true;
        backoff.reset();
        boolean relinked = hadLinked;
        hadLinked = true;
        if (relinked) {
            LOG.info("the NATS event bus reads its stream again; live sessions catch up from the store");
            handler.onMissed();
        }
    }

    private void ensureStream(JetStreamManagement jsm) throws IOException, JetStreamApiException {
        try {
            jsm.getStreamInfo(settings.streamName());
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
                throw e;
            }
            try {
                jsm.addStream(settings.toConfiguration());
                LOG.info("created the NATS stream {} for the event bus", settings.streamName());
            } catch (JetStreamApiException raced) {
                // another node created it first, with other limits: use it as it is
                if (raced.getApiErrorCode() != STREAM_NAME_IN_USE) {
                    throw raced;
                }
            }
        }
    }

    private void stopConsumer() {
        MessageConsumer current = consumer;
        consumer = null;
        if (current != null) {
            try {
                current.close();
            } catch (Exception e) {
                LOG.debug("stopping the old NATS consumer failed ({})", e.getClass().getName());
            }
        }
    }

    private void awaitSignal() throws InterruptedException {
        synchronized (signal) {
            if (!signalled) {
                signal.wait(CHECK_MILLIS);
            }
            signalled = false;
        }
    }

    private void wake() {
        synchronized (signal) {
            signalled = true;
            signal.notifyAll();
        }
    }

    private void lost() {
        linked = false;
        rebuild.set(true);
        wake();
    }

    /** Stops the consumer, closes the connection and stops the thread. Idempotent. */
    @Override
    public void close() {
        closed = true;
        wake();
        thread.interrupt();
        try {
            thread.join(CLOSE_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("the NATS event bus's link thread did not stop in time");
        }
        stopConsumer();
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        linked = false;
    }

    /**
     * Hands one consumer's messages on, and notices when the stream's sequence skips. Called on
     * its consumer's one dispatcher thread.
     */
    private final class Reader implements MessageHandler {
        private final long mine;
        private long lastSequence;

        private Reader(long mine) {
            this.mine = mine;
        }

        @Override
        public void onMessage(Message message) {
            if (closed || mine != generation.get()) {
                return;
            }
            long sequence = message.isJetStream() ? message.metaData().streamSequence() : 0;
            if (lastSequence > 0 && sequence > lastSequence + 1) {
                LOG.info("the NATS stream skipped events this node had not read; live sessions catch up");
                handler.onMissed();
            }
            lastSequence = Math.max(lastSequence, sequence);
            handler.onPayload(message.getData());
        }
    }

    /** Follows the connection: a lost one means the consumer must be replaced once it is back. */
    private final class ConnectionWatcher implements ConnectionListener {
        @Override
        @SuppressWarnings("deprecation")
        public void connectionEvent(Connection conn, ConnectionListener.Events type) {
            switch (type) {
                case DISCONNECTED:
                    if (linked && !closed) {
                        LOG.warn("the NATS event bus lost its connection; it reconnects");
                    }
                    lost();
                    break;
                case RECONNECTED:
                case RESUBSCRIBED:
                case CONNECTED:
                    wake();
                    break;
                default:
                    break;
            }
        }
    }

    /**
     * Logs the client's errors by kind only, and replaces a consumer that missed its heartbeats or
     * failed (deleted on the server, for one).
     */
    private final class ErrorWatcher implements ErrorListener {
        @Override
        public void errorOccurred(Connection conn, String error) {
            LOG.warn("the NATS server reported an error to the event bus: {}", error);
        }

        @Override
        public void exceptionOccurred(Connection conn, Exception exp) {
            if (!closed) {
                LOG.debug("the NATS client of the event bus failed ({})", exp.getClass().getName());
            }
        }

        @Override
        public void pullStatusError(Connection conn, JetStreamSubscription sub, Status status) {
            if (!closed) {
                LOG.warn("the NATS event bus's consumer failed ({} {}); replacing it", status.getCode(),
                        status.getMessage());
                lost();
            }
        }

        @Override
        public void heartbeatAlarm(Connection conn, @Nullable JetStreamSubscription sub, long lastStreamSequence,
                long lastConsumerSequence) {
            if (!closed) {
                LOG.warn("the NATS event bus's consumer missed its heartbeats; replacing it");
                lost();
            }
        }
    }
}
