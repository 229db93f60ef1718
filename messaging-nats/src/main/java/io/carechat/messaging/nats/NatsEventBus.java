package io.carechat.messaging.nats;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.carechat.messaging.error.ConfigurationException;
import io.carechat.messaging.event.MessagingEvent;
import io.carechat.messaging.event.Resync;
import io.carechat.messaging.bus.EventDispatcher;
import io.carechat.messaging.bus.EventPayloads;
import io.carechat.messaging.bus.EventRehydrator;
import io.carechat.messaging.nats.internal.StreamLink;
import io.carechat.messaging.nats.internal.StreamPublisher;
import io.carechat.messaging.nats.internal.StreamPublisher.Outgoing;
import io.carechat.messaging.nats.internal.StreamSettings;
import io.carechat.messaging.spi.EventBus;
import io.carechat.messaging.spi.MessagingStorage;
import io.nats.client.Options;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * An {@link EventBus} for several nodes over NATS JetStream, through the official Java client.
 * Each node builds one, hands it to {@code Messaging.builder().eventBus(...)} and to its hub:
 *
 * <pre>{@code
 * NatsEventBus bus = NatsEventBus.builder(storage)
 *         .servers("nats://nats-1:4222", "nats://nats-2:4222")
 *         .build();
 * }</pre>
 *
 * <p>How events travel:
 * <ul>
 *   <li>A node's own events go straight to its local subscribers as they were published, on the
 *       bus's delivery thread; {@link #publish(MessagingEvent)} only queues and never blocks.</li>
 *   <li>They also go to the stream (default {@value #DEFAULT_STREAM}) on the subject
 *       {@code <subjectPrefix>.<nodeId>}, published from a thread of the bus, which waits for the
 *       stream's acknowledgement and resends with the same message id after a failure. The payload
 *       is the PostgreSQL bus's: ids only, never a message body or a name, for example
 *       {@code {"node":"node-1","n":7,"type":"message","messageId":"m1","conversationId":"c1","seq":42}}.</li>
 *   <li>Each node reads the stream with its own ordered consumer (ephemeral, starting at the
 *       newest event when it starts). Another node's event becomes its event again on the delivery
 *       thread, with what the payload leaves out read from the shared store (the conversation's
 *       members, the role request by id), then goes to local subscribers. A node ignores its own
 *       events on the stream.</li>
 *   <li>When the connection was lost (the client reconnects by itself, with backoff) or the
 *       consumer stalled or failed (deleted on the server, say), the bus replaces the consumer, again from the newest event, and then
 *       delivers a {@link Resync} to its local subscribers: the hub pushes every live session what
 *       it may have missed from the store. It does the same when the stream skipped events this
 *       node had not read (removed by the stream's limits), when its delivery queue was full, or
 *       when it could not read another node's event from the store.</li>
 *   <li>Events for the other nodes wait in a bounded queue while the connection is down; when it
 *       is full, further ones are dropped, and once publishing works again the bus publishes a
 *       marker ({@code "type":"resync"}) on which every other node delivers a {@link Resync}.</li>
 *   <li>A {@link Resync} published by the application stays on this node.</li>
 * </ul>
 * The stream is created when missing, with file storage and limits (max age, max bytes; the
 * oldest events go first); an existing one is used as it is. Every node of one deployment uses the
 * same stream and subject prefix. Receipts, typing, presence and notices lost in an outage are not
 * made up. Events from one publishing thread reach local subscribers in order; another node's
 * events arrive in the order that node published them.
 *
 * <p>Thread-safe. Lifecycle: build it (it connects at once, in the background), use it, and
 * {@link #close()} it after closing the hub and the {@code Messaging} that use it; closing
 * publishes what is queued for the other nodes (bounded in time), stops its threads and closes its
 * connection. It does not close the storage.
 */
public final class NatsEventBus implements EventBus {
    /** The stream's name unless configured. */
    public static final String DEFAULT_STREAM = "CARECHAT_EVENTS";
    /** The subjects' prefix unless configured. */
    public static final String DEFAULT_SUBJECT_PREFIX = "carechat.events";
    /** The type of the marker a node publishes after it dropped events for the other nodes. */
    static final String MISSED_TYPE = "resync";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String nodeId;
    private final StreamSettings settings;
    private final EventDispatcher dispatcher;
    private final EventRehydrator rehydrator;
    private final StreamLink link;
    private final StreamPublisher publisher;
    private final AtomicLong counter = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Duration confirmTimeout;

    private NatsEventBus(Builder b, Options.Builder options) {
        this.nodeId = b.nodeId;
        this.confirmTimeout = b.confirmTimeout;
        this.settings = new StreamSettings(b.streamName, b.subjectPrefix, b.maxAge, b.maxBytes, b.replicas);
        this.rehydrator = new EventRehydrator(b.storage);
        this.dispatcher = new EventDispatcher(named(b.threadFactory, "deliver"), b.maxQueuedEvents);
        this.link = new StreamLink(options, settings, b.minBackoff, b.maxBackoff, named(b.threadFactory, "link"),
                new StreamLink.Handler() {
                    @Override
                    public void onPayload(byte[] data) {
                        receive(data);
                    }

                    @Override
                    public void onMissed() {
                        dispatcher.deliverLater(new Resync());
                    }
                });
        this.publisher = new StreamPublisher(link::connection, settings.streamName(), settings.subjectOf(nodeId),
                this::missedMarker, b.maxQueuedEvents, b.minBackoff, b.maxBackoff, named(b.threadFactory, "publish"));
        link.start();
    }

    /**
     * Starts configuring a bus.
     *
     * @param storage the node's storage, shared by all nodes, to read back what other nodes'
     *     events leave out (a conversation's members, a role request)
     * @return a builder
     */
    public static Builder builder(MessagingStorage storage) {
        return new Builder(requireNonNull(storage, "storage"));
    }

    /**
     * Delivers the event to this node's subscribers and publishes its ids to the stream; only
     * queues, never blocks. Call it after what the event describes is committed.
     *
     * @param event the event
     * @throws IllegalStateException if the bus is closed
     */
    @Override
    public void publish(MessagingEvent event) {
        enqueue(event);
    }

    /**
     * Publishes as {@link #publish} does, and completes once the stream has stored the event, so
     * that every node reads it even if this process dies now; fails when that did not happen
     * within {@link Builder#confirmTimeout} (the link down, the queue full, the bus closed). An
     * event that carries nothing for other nodes completes at once.
     *
     * @param event the event
     * @return the stream's confirmation
     * @throws IllegalStateException if the bus is closed
     */
    @Override
    public CompletionStage<Void> publishConfirmed(MessagingEvent event) {
        Outgoing outgoing = enqueue(event);
        return outgoing == null ? CompletableFuture.completedFuture(null)
                : outgoing.confirmed().orTimeout(confirmTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Delivers the event here and queues it for the stream; returns what was queued, if anything. */
    private @Nullable Outgoing enqueue(MessagingEvent event) {
        requireNonNull(event, "event");
        if (closed.get()) {
            throw new IllegalStateException("the event bus is closed");
        }
        dispatcher.deliverLater(event);
        long n = counter.incrementAndGet();
        String payload = EventPayloads.encode(nodeId, n, event);
        if (payload == null) {
            return null;
        }
        Outgoing outgoing = new Outgoing(messageId(n), payload.getBytes(UTF_8));
        publisher.send(outgoing);
        return outgoing;
    }

    /**
     * Subscribes a listener; it is called on the bus's delivery thread.
     *
     * @param listener called once per event; must not block
     * @return the subscription
     * @throws IllegalStateException if the bus is closed
     */
    @Override
    public Subscription subscribe(EventListener listener) {
        requireNonNull(listener, "listener");
        if (closed.get()) {
            throw new IllegalStateException("the event bus is closed");
        }
        return dispatcher.subscribe(listener);
    }

    /**
     * This node's id, as its events on the stream carry it.
     *
     * @return the node id
     */
    public String nodeId() {
        return nodeId;
    }

    /**
     * The stream the nodes publish to and read.
     *
     * @return the stream's name
     */
    public String streamName() {
        return settings.streamName();
    }

    /**
     * The subject this node publishes on: the subject prefix and the node id.
     *
     * @return the subject
     */
    public String subject() {
        return settings.subjectOf(nodeId);
    }

    /**
     * Tells whether the connection is up and this node reads the stream now. For health checks.
     *
     * @return true while linked
     */
    public boolean isLinked() {
        return link.isLinked();
    }

    /**
     * Publishes what is queued for the other nodes (waiting a bounded time), stops delivery and the
     * bus's threads, and closes the connection. Idempotent.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            publisher.close();
            link.close();
            dispatcher.close();
        }
    }

    private void receive(byte[] data) {
        EventPayloads.decode(new String(data, UTF_8))
                .filter(p -> !p.node().equals(nodeId))
                .ifPresent(p -> {
                    if (MISSED_TYPE.equals(p.type())) {
                        dispatcher.deliverLater(new Resync());
                    } else {
                        dispatcher.readAndDeliverLater(() -> rehydrator.rehydrate(p));
                    }
                });
    }

    private Outgoing missedMarker() {
        long n = counter.incrementAndGet();
        ObjectNode o = JSON.createObjectNode();
        o.put("node", nodeId);
        o.put("n", n);
        o.put("type", MISSED_TYPE);
        return new Outgoing(messageId(n), o.toString().getBytes(UTF_8));
    }

    private String messageId(long n) {
        return nodeId + "-" + n;
    }

    private static ThreadFactory named(ThreadFactory factory, String role) {
        return runnable -> {
            Thread thread = factory.newThread(runnable);
            thread.setName(thread.getName() + "-" + role);
            return thread;
        };
    }

    /**
     * Configures a {@link NatsEventBus}. Not thread-safe; use it on one thread, then discard it.
     * {@link #build()} checks everything at once and reports every problem together.
     */
    public static final class Builder {
        private static final Pattern STREAM = Pattern.compile("[A-Za-z0-9_-]{1,32}");
        private static final Pattern SUBJECT_PREFIX = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");
        private static final int MAX_SUBJECT_PREFIX_LENGTH = 128;
        private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

        private final MessagingStorage storage;
        private final List<String> servers = new ArrayList<>();
        private Consumer<Options.Builder> connectionOptions = options -> { };
        private String streamName = DEFAULT_STREAM;
        private String subjectPrefix = DEFAULT_SUBJECT_PREFIX;
        private String nodeId = UUID.randomUUID().toString();
        private Duration maxAge = Duration.ofHours(1);
        private long maxBytes = 256L * 1024 * 1024;
        private int replicas = 1;
        private Duration minBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(5);
        private int maxQueuedEvents = 10_000;
        private Duration confirmTimeout = Duration.ofSeconds(5);
        private ThreadFactory threadFactory = runnable -> {
            Thread thread = new Thread(runnable, "carechat-natsbus");
            thread.setDaemon(true);
            return thread;
        };

        private Builder(MessagingStorage storage) {
            this.storage = storage;
        }

        /**
         * The NATS servers to connect to; the client picks one and moves to another when it fails.
         * Required.
         *
         * @param urls {@code nats://host:port} (or {@code tls://}) URLs; replaces earlier ones
         * @return this builder
         */
        public Builder servers(String... urls) {
            requireNonNull(urls, "urls");
            servers.clear();
            for (String url : urls) {
                servers.add(requireNonNull(url, "url"));
            }
            return this;
        }

        /**
         * Further options of the NATS connection, such as credentials
         * ({@code authHandler}, {@code userInfo}, {@code token}) or TLS ({@code sslContext}). The
         * bus sets the servers, the connection name, and its own reconnection policy and listeners
         * after this runs, so those are not to be set here.
         *
         * @param value changes the client's options builder
         * @return this builder
         */
        public Builder connectionOptions(Consumer<Options.Builder> value) {
            this.connectionOptions = requireNonNull(value, "connectionOptions");
            return this;
        }

        /**
         * The stream's name. Default {@value NatsEventBus#DEFAULT_STREAM}. Every node of one
         * deployment uses the same stream.
         *
         * @param value 1 to 32 characters from {@code [A-Za-z0-9_-]}
         * @return this builder
         */
        public Builder streamName(String value) {
            this.streamName = requireNonNull(value, "streamName");
            return this;
        }

        /**
         * The subjects' prefix: nodes publish on {@code <prefix>.<nodeId>} and the stream holds
         * {@code <prefix>.>}. Default {@value NatsEventBus#DEFAULT_SUBJECT_PREFIX}. Deployments
         * sharing a NATS server use different prefixes and streams.
         *
         * @param value dot-separated tokens of {@code [A-Za-z0-9_-]}, at most 128 characters
         * @return this builder
         */
        public Builder subjectPrefix(String value) {
            this.subjectPrefix = requireNonNull(value, "subjectPrefix");
            return this;
        }

        /**
         * This node's id, which its events carry so it can ignore its own; also the last token of
         * its subject. Default: a random UUID. Unique per node.
         *
         * @param value 1 to 64 characters from {@code [A-Za-z0-9_-]}
         * @return this builder
         */
        public Builder nodeId(String value) {
            this.nodeId = requireNonNull(value, "nodeId");
            return this;
        }

        /**
         * How long a stream the bus creates keeps an event. Nodes read only new events, so this
         * only needs to cover a consumer that falls behind. Default one hour.
         *
         * @param value one minute to 30 days
         * @return this builder
         */
        public Builder maxAge(Duration value) {
            this.maxAge = requireNonNull(value, "maxAge");
            return this;
        }

        /**
         * How many bytes a stream the bus creates keeps at most; the oldest events go first.
         * Default 256 MiB.
         *
         * @param value 1 MiB to 1 TiB
         * @return this builder
         */
        public Builder maxBytes(long value) {
            this.maxBytes = value;
            return this;
        }

        /**
         * How many servers of a NATS cluster hold a stream the bus creates. Default 1.
         *
         * @param value 1 to 5
         * @return this builder
         */
        public Builder replicas(int value) {
            this.replicas = value;
            return this;
        }

        /**
         * The waits between attempts to reconnect, to read the stream again or to republish: the
         * first is {@code min}, each next doubles up to {@code max}. Default 100 ms and 5 s.
         *
         * @param min positive
         * @param max at least {@code min}, at most one minute
         * @return this builder
         */
        public Builder reconnectBackoff(Duration min, Duration max) {
            this.minBackoff = requireNonNull(min, "min");
            this.maxBackoff = requireNonNull(max, "max");
            return this;
        }

        /**
         * How many events may wait for local delivery, and how many may wait to be published.
         * Default 10,000 each.
         *
         * @param value 16 to 1,000,000
         * @return this builder
         */
        public Builder maxQueuedEvents(int value) {
            this.maxQueuedEvents = value;
            return this;
        }

        /**
         * How long {@link NatsEventBus#publishConfirmed} waits for the stream to store an event
         * before it fails (the event stays queued and is published once the link is back; the
         * facade tells the sender to retry). Default 5 seconds.
         *
         * @param value 100 ms to 1 minute
         * @return this builder
         */
        public Builder confirmTimeout(Duration value) {
            this.confirmTimeout = requireNonNull(value, "confirmTimeout");
            return this;
        }

        /**
         * Makes the bus's three threads (link, publish, deliver); their names get a suffix for
         * their role. Default: daemon threads named {@code carechat-natsbus-<role>}.
         *
         * @param value the thread factory
         * @return this builder
         */
        public Builder threadFactory(ThreadFactory value) {
            this.threadFactory = requireNonNull(value, "threadFactory");
            return this;
        }

        /**
         * Checks the configuration and starts the bus: it connects at once, in the background.
         *
         * @return the bus
         * @throws ConfigurationException listing every problem
         */
        public NatsEventBus build() {
            List<String> problems = new ArrayList<>();
            Options.Builder options = options(problems);
            if (!STREAM.matcher(streamName).matches()) {
                problems.add("streamName must be 1 to 32 characters from [A-Za-z0-9_-]");
            }
            if (!SUBJECT_PREFIX.matcher(subjectPrefix).matches() || subjectPrefix.length() > MAX_SUBJECT_PREFIX_LENGTH) {
                problems.add("subjectPrefix must be dot-separated tokens of [A-Za-z0-9_-], at most "
                        + MAX_SUBJECT_PREFIX_LENGTH + " characters");
            }
            if (!NODE_ID.matcher(nodeId).matches()) {
                problems.add("nodeId must be 1 to 64 characters from [A-Za-z0-9_-]");
            }
            if (maxAge.compareTo(Duration.ofMinutes(1)) < 0 || maxAge.compareTo(Duration.ofDays(30)) > 0) {
                problems.add("maxAge must be between one minute and 30 days");
            }
            if (maxBytes < 1024L * 1024 || maxBytes > 1024L * 1024 * 1024 * 1024) {
                problems.add("maxBytes must be between 1 MiB and 1 TiB");
            }
            if (replicas < 1 || replicas > 5) {
                problems.add("replicas must be between 1 and 5");
            }
            if (minBackoff.isNegative() || minBackoff.isZero() || maxBackoff.compareTo(minBackoff) < 0
                    || maxBackoff.compareTo(Duration.ofMinutes(1)) > 0) {
                problems.add("reconnectBackoff needs 0 < min <= max <= 1 minute");
            }
            if (maxQueuedEvents < 16 || maxQueuedEvents > 1_000_000) {
                problems.add("maxQueuedEvents must be between 16 and 1,000,000");
            }
            if (confirmTimeout.compareTo(Duration.ofMillis(100)) < 0 || confirmTimeout.compareTo(Duration.ofMinutes(1)) > 0) {
                problems.add("confirmTimeout must be between 100 ms and 1 minute");
            }
            if (options == null || !problems.isEmpty()) {
                throw new ConfigurationException("NatsEventBus", problems);
            }
            return new NatsEventBus(this, options);
        }

        /** The client's options from the servers and the application's additions; null on a problem. */
        private Options.@Nullable Builder options(List<String> problems) {
            if (servers.isEmpty()) {
                problems.add("servers is required");
                return null;
            }
            Options.Builder options = new Options.Builder();
            try {
                connectionOptions.accept(options);
                // Never echo the URLs: they may carry credentials.
                options.servers(servers.toArray(String[]::new));
            } catch (IllegalArgumentException | IllegalStateException e) {
                problems.add("servers must be nats:// or tls:// URLs and connectionOptions must be valid"
                        + " (the NATS client refused them)");
                return null;
            }
            return options.connectionName("carechat-" + nodeId);
        }
    }
}
