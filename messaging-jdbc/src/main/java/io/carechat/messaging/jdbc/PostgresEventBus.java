package io.carechat.messaging.jdbc;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.error.ConfigurationException;
import io.carechat.messaging.event.MessageCommitted;
import io.carechat.messaging.event.MessagingEvent;
import io.carechat.messaging.event.Resync;
import io.carechat.messaging.jdbc.internal.CommitAnnouncer;
import io.carechat.messaging.bus.EventDispatcher;
import io.carechat.messaging.bus.EventPayloads;
import io.carechat.messaging.bus.EventRehydrator;
import io.carechat.messaging.jdbc.internal.NotificationListener;
import io.carechat.messaging.jdbc.internal.NotificationSender;
import io.carechat.messaging.spi.EventBus;
import io.carechat.messaging.spi.MessagingStorage;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * An {@link EventBus} for several nodes that share one PostgreSQL database, over
 * {@code LISTEN}/{@code NOTIFY}. Each node builds one, hands it to
 * {@code Messaging.builder().eventBus(...)} and to its hub:
 *
 * <pre>{@code
 * PostgresEventBus bus = PostgresEventBus.builder(pool, storage)
 *         .listenerConnections(() -> DriverManager.getConnection(url, properties))
 *         .tablePrefix("cc_")
 *         .nodeId("node-1")
 *         .build();
 * }</pre>
 *
 * <p>How events travel:
 * <ul>
 *   <li>A node's own events go straight to its local subscribers as they were published, on the
 *       bus's delivery thread; {@link #publish(MessagingEvent)} only queues and never blocks.</li>
 *   <li>They also go to the other nodes as a notification on the channel, sent with
 *       {@code pg_notify} on a pooled connection from a thread of the bus. The payload carries ids
 *       only, never a message body or a name, for example {@code {"node":"node-1","n":7,
 *       "type":"message","messageId":"m1","conversationId":"c1","seq":42}}.</li>
 *   <li>Another node's notification becomes its event again on the delivery thread, with what
 *       the payload leaves out read from the shared store (the conversation's members, the role
 *       request by id), then goes to local subscribers. A committed message stays ids only: the
 *       bus holds no keys and never opens a body; the {@code Messaging} facade reads and opens the
 *       message for its own subscribers. A node ignores its own notifications.</li>
 *   <li>{@code LISTEN} runs on one dedicated connection, outside the pool, opened by
 *       {@link Builder#listenerConnections(ListenerConnections)}. A notification sent while that
 *       connection is down is lost; so once it listens again (reconnecting with backoff), the bus
 *       delivers a {@link Resync} to its local subscribers, and the hub pushes every live session
 *       what it may have missed from the store. It does the same after it had to drop events
 *       because its delivery queue was full, or could not read another node's event from the
 *       store.</li>
 *   <li>A {@link Resync} published by the application stays on this node.</li>
 *   <li>With {@link JdbcStorage#announceCommitsThrough(PostgresEventBus)}, the storage's
 *       group-commit writer sends the notification of each new message (one without attachments)
 *       inside the transaction that stores it, so PostgreSQL delivers it exactly when the message
 *       commits, even if this node dies right after; the bus then delivers that
 *       {@link MessageCommitted} to its local subscribers only and does not send it again.</li>
 * </ul>
 * Receipts, typing, presence and notices lost in an outage are not made up. Events from one
 * publishing thread reach local subscribers in order; another node's events arrive in the order
 * that node sent them.
 *
 * <p>Thread-safe. Lifecycle: build it (its listener connects at once), use it, and {@link #close()}
 * it after closing the hub and the {@code Messaging} that use it; closing sends what is queued for
 * the other nodes (bounded in time), stops its threads and closes its listener connection. It does
 * not close the data source or the storage.
 */
public final class PostgresEventBus implements EventBus {
    /** The channel's name without a table prefix. */
    public static final String DEFAULT_CHANNEL = "carechat_events";

    private final String nodeId;
    private final String channel;
    private final EventDispatcher dispatcher;
    private final NotificationSender sender;
    private final NotificationListener listener;
    private final EventRehydrator rehydrator;
    private final MessagingStorage storage;
    private final AtomicLong counter = new AtomicLong();
    private final CommitAnnouncer announcer;
    private final AtomicBoolean closed = new AtomicBoolean();

    private PostgresEventBus(Builder b, ListenerConnections connections) {
        this.nodeId = b.nodeId;
        this.channel = b.tablePrefix + b.channel;
        this.storage = b.storage;
        this.rehydrator = new EventRehydrator(b.storage);
        this.announcer = new CommitAnnouncer(nodeId, channel, counter);
        this.dispatcher = new EventDispatcher(named(b.threadFactory, "deliver"), b.maxQueuedEvents);
        this.sender = new NotificationSender(b.dataSource, channel, b.maxQueuedEvents, b.minBackoff,
                b.maxBackoff, named(b.threadFactory, "notify"));
        this.listener = new NotificationListener(connections::open, channel, b.pollInterval, b.minBackoff,
                b.maxBackoff, named(b.threadFactory, "listen"), new NotificationListener.Handler() {
                    @Override
                    public void onNotification(String payload) {
                        receive(payload);
                    }

                    @Override
                    public void onReconnected() {
                        dispatcher.deliverLater(new Resync());
                    }
                });
        listener.start();
    }

    /**
     * Starts configuring a bus.
     *
     * @param dataSource the pool the node's storage uses; the bus borrows a connection briefly to
     *     send notifications
     * @param storage the node's storage on the shared database, to read back what other nodes'
     *     events leave out (a conversation's members, a role request)
     * @return a builder
     */
    public static Builder builder(DataSource dataSource, MessagingStorage storage) {
        return new Builder(requireNonNull(dataSource, "dataSource"), requireNonNull(storage, "storage"));
    }

    /**
     * Delivers the event to this node's subscribers and sends its ids to the other nodes; only
     * queues, never blocks. Call it after what the event describes is committed. A
     * {@link MessageCommitted} that the storage already announced in its commit
     * ({@link JdbcStorage#announceCommitsThrough(PostgresEventBus)}) is only delivered here.
     *
     * @param event the event
     * @throws IllegalStateException if the bus is closed
     */
    @Override
    public void publish(MessagingEvent event) {
        requireNonNull(event, "event");
        if (closed.get()) {
            throw new IllegalStateException("the event bus is closed");
        }
        dispatcher.deliverLater(event);
        if (event instanceof MessageCommitted committed && announcer.claim(committed.messageId())) {
            return;
        }
        String payload = EventPayloads.encode(nodeId, counter.incrementAndGet(), event);
        if (payload != null) {
            sender.send(payload);
        }
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
     * This node's id, as its notifications carry it.
     *
     * @return the node id
     */
    public String nodeId() {
        return nodeId;
    }

    /**
     * The channel the nodes notify and listen on: the table prefix and the channel name.
     *
     * @return the channel
     */
    public String channel() {
        return channel;
    }

    /** The storage the bus was built on, which may announce commits through it. */
    MessagingStorage storage() {
        return storage;
    }

    /** Announces new messages in their transaction for a storage on this bus's database. */
    CommitAnnouncer commitAnnouncer() {
        return announcer;
    }

    /**
     * Tells whether the listener connection is up and listening now. For health checks.
     *
     * @return true while listening
     */
    public boolean isListening() {
        return listener.isListening();
    }

    /**
     * Sends what is queued for the other nodes (waiting a bounded time), stops delivery and the
     * bus's threads, and closes the listener connection; a storage that announced commits through
     * it stops announcing. Idempotent.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            announcer.close();
            listener.close();
            sender.close();
            dispatcher.close();
        }
    }

    private void receive(String payload) {
        EventPayloads.decode(payload)
                .filter(p -> !p.node().equals(nodeId))
                .ifPresent(p -> dispatcher.readAndDeliverLater(() -> rehydrator.rehydrate(p)));
    }

    private static ThreadFactory named(ThreadFactory factory, String role) {
        return runnable -> {
            Thread thread = factory.newThread(runnable);
            thread.setName(thread.getName() + "-" + role);
            return thread;
        };
    }

    /**
     * Opens the bus's dedicated listener connection to PostgreSQL, outside any pool: the bus keeps
     * it open for as long as it works and asks for a new one after a failure. It must be a
     * PostgreSQL JDBC driver connection (one that unwraps to {@code org.postgresql.PGConnection}).
     * Called on the bus's listener thread.
     */
    @FunctionalInterface
    public interface ListenerConnections {
        /**
         * Opens a new connection.
         *
         * @return the connection; the bus closes it
         * @throws SQLException if the database cannot be reached
         */
        Connection open() throws SQLException;
    }

    /**
     * Configures a {@link PostgresEventBus}. Not thread-safe; use it on one thread, then discard
     * it. {@link #build()} checks everything at once and reports every problem together.
     */
    public static final class Builder {
        private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9_]{0,19}");
        private static final Pattern CHANNEL = Pattern.compile("[a-z_][a-z0-9_]*");
        private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
        private static final int MAX_CHANNEL_LENGTH = 63;

        private final DataSource dataSource;
        private final MessagingStorage storage;
        private @Nullable ListenerConnections connections;
        private String channel = DEFAULT_CHANNEL;
        private String tablePrefix = "";
        private String nodeId = UUID.randomUUID().toString();
        private Duration pollInterval = Duration.ofMillis(500);
        private Duration minBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(5);
        private int maxQueuedEvents = 10_000;
        private ThreadFactory threadFactory = runnable -> {
            Thread thread = new Thread(runnable, "carechat-pgbus");
            thread.setDaemon(true);
            return thread;
        };

        private Builder(DataSource dataSource, MessagingStorage storage) {
            this.dataSource = dataSource;
            this.storage = storage;
        }

        /**
         * How the bus opens its dedicated listener connection. Required (or
         * {@link #listenerUrl(String, Properties)}).
         *
         * @param value opens a new PostgreSQL connection outside the pool
         * @return this builder
         */
        public Builder listenerConnections(ListenerConnections value) {
            this.connections = requireNonNull(value, "listenerConnections");
            return this;
        }

        /**
         * Opens the listener connection with {@link DriverManager} from a JDBC URL and properties
         * (such as {@code user}, {@code password}, {@code socketTimeout}).
         *
         * @param url a {@code jdbc:postgresql:} URL
         * @param properties the connection properties; copied
         * @return this builder
         */
        public Builder listenerUrl(String url, Properties properties) {
            requireNonNull(url, "url");
            Properties copy = new Properties();
            copy.putAll(requireNonNull(properties, "properties"));
            this.connections = () -> DriverManager.getConnection(url, copy);
            return this;
        }

        /**
         * The channel's name. Default {@value PostgresEventBus#DEFAULT_CHANNEL}. Every node of one
         * deployment must use the same channel (and prefix); deployments sharing a database use
         * different ones, since channels are per database, not per schema.
         *
         * @param value lower-case letters, digits and underscores, not starting with a digit
         * @return this builder
         */
        public Builder channel(String value) {
            this.channel = requireNonNull(value, "channel");
            return this;
        }

        /**
         * Puts the storage's table prefix before the channel's name. Default: none.
         *
         * @param prefix as given to {@code JdbcStorage.Builder#tablePrefix}
         * @return this builder
         */
        public Builder tablePrefix(String prefix) {
            this.tablePrefix = requireNonNull(prefix, "prefix");
            return this;
        }

        /**
         * This node's id, which its notifications carry so it can ignore its own. Default: a
         * random UUID. Unique per node.
         *
         * @param value 1 to 64 characters from {@code [A-Za-z0-9_-]}
         * @return this builder
         */
        public Builder nodeId(String value) {
            this.nodeId = requireNonNull(value, "nodeId");
            return this;
        }

        /**
         * How long the listener waits for notifications at a time; it bounds how long
         * {@link PostgresEventBus#close()} takes. Notifications are handled as they arrive,
         * whatever this is. Default 500 ms.
         *
         * @param value 10 ms to 10 s
         * @return this builder
         */
        public Builder pollInterval(Duration value) {
            this.pollInterval = requireNonNull(value, "pollInterval");
            return this;
        }

        /**
         * The waits between attempts to reconnect the listener or to resend notifications: the
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
         * How many events may wait for local delivery, and how many notifications may wait to be
         * sent. Default 10,000 each.
         *
         * @param value 16 to 1,000,000
         * @return this builder
         */
        public Builder maxQueuedEvents(int value) {
            this.maxQueuedEvents = value;
            return this;
        }

        /**
         * Makes the bus's three threads (listen, notify, deliver); their names get a suffix for
         * their role. Default: daemon threads named {@code carechat-pgbus-<role>}.
         *
         * @param value the thread factory
         * @return this builder
         */
        public Builder threadFactory(ThreadFactory value) {
            this.threadFactory = requireNonNull(value, "threadFactory");
            return this;
        }

        /**
         * Checks the configuration and starts the bus: its listener connects at once, in the
         * background.
         *
         * @return the bus
         * @throws ConfigurationException listing every problem
         */
        public PostgresEventBus build() {
            List<String> problems = new ArrayList<>();
            if (connections == null) {
                problems.add("listenerConnections (or listenerUrl) is required");
            }
            if (!tablePrefix.isEmpty() && !PREFIX.matcher(tablePrefix).matches()) {
                problems.add("tablePrefix must be empty or 1 to 20 lower-case letters, digits and"
                        + " underscores, starting with a letter");
            }
            if (!CHANNEL.matcher(channel).matches() || tablePrefix.length() + channel.length() > MAX_CHANNEL_LENGTH) {
                problems.add("channel must be lower-case letters, digits and underscores, not starting with a"
                        + " digit, and at most " + MAX_CHANNEL_LENGTH + " characters with the table prefix");
            }
            if (!NODE_ID.matcher(nodeId).matches()) {
                problems.add("nodeId must be 1 to 64 characters from [A-Za-z0-9_-]");
            }
            if (pollInterval.compareTo(Duration.ofMillis(10)) < 0 || pollInterval.compareTo(Duration.ofSeconds(10)) > 0) {
                problems.add("pollInterval must be between 10 ms and 10 s");
            }
            if (minBackoff.isNegative() || minBackoff.isZero() || maxBackoff.compareTo(minBackoff) < 0
                    || maxBackoff.compareTo(Duration.ofMinutes(1)) > 0) {
                problems.add("reconnectBackoff needs 0 < min <= max <= 1 minute");
            }
            if (maxQueuedEvents < 16 || maxQueuedEvents > 1_000_000) {
                problems.add("maxQueuedEvents must be between 16 and 1,000,000");
            }
            if (connections == null || !problems.isEmpty()) {
                throw new ConfigurationException("PostgresEventBus", problems);
            }
            return new PostgresEventBus(this, connections);
        }
    }
}
