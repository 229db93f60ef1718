package io.carechat.messaging.jdbc;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.error.ConfigurationException;
import io.carechat.messaging.jdbc.internal.Dialect;
import io.carechat.messaging.jdbc.internal.GroupCommitWriter;
import io.carechat.messaging.jdbc.internal.JdbiAttachmentStore;
import io.carechat.messaging.jdbc.internal.JdbiAuditTrail;
import io.carechat.messaging.jdbc.internal.JdbiBreakGlassStore;
import io.carechat.messaging.jdbc.internal.JdbiConversationStore;
import io.carechat.messaging.jdbc.internal.JdbiEscalationStore;
import io.carechat.messaging.jdbc.internal.JdbiLegalHoldStore;
import io.carechat.messaging.jdbc.internal.JdbiMessageStore;
import io.carechat.messaging.jdbc.internal.JdbiJobLeaseStore;
import io.carechat.messaging.jdbc.internal.JdbiNotificationStore;
import io.carechat.messaging.jdbc.internal.JdbiPresenceStore;
import io.carechat.messaging.jdbc.internal.JdbiReceiptStore;
import io.carechat.messaging.jdbc.internal.JdbiRefreshTokenStore;
import io.carechat.messaging.jdbc.internal.JdbiRoleRequestStore;
import io.carechat.messaging.jdbc.internal.JdbiUserStore;
import io.carechat.messaging.jdbc.internal.SchemaMigrator;
import io.carechat.messaging.jdbc.internal.SqlTemplates;
import io.carechat.messaging.jdbc.internal.StorageFailures;
import io.carechat.messaging.jdbc.internal.WriterConnection;
import io.carechat.messaging.metrics.MessagingMetrics;
import io.carechat.messaging.metrics.MicrometerMetrics;
import io.carechat.messaging.spi.AttachmentStore;
import io.carechat.messaging.spi.AuditTrail;
import io.carechat.messaging.spi.BreakGlassStore;
import io.carechat.messaging.spi.ConversationStore;
import io.carechat.messaging.spi.EscalationStore;
import io.carechat.messaging.spi.LegalHoldStore;
import io.carechat.messaging.spi.JobLeaseStore;
import io.carechat.messaging.spi.MessageBodyStore;
import io.carechat.messaging.spi.MessageStore;
import io.carechat.messaging.spi.MessagingStorage;
import io.carechat.messaging.spi.NotificationStore;
import io.carechat.messaging.spi.PresenceStore;
import io.carechat.messaging.spi.ReceiptStore;
import io.carechat.messaging.spi.RefreshTokenStore;
import io.carechat.messaging.spi.RoleRequestStore;
import io.carechat.messaging.spi.UserStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.jdbi.v3.core.statement.TemplateEngine;

/**
 * CareChat's storage on a JDBC database the application provides (embedded H2 or PostgreSQL),
 * through Jdbi. Built once, handed to {@code Messaging.builder().storage(...)}:
 *
 * <pre>{@code
 * JdbcStorage storage = JdbcStorage.builder(dataSource)
 *         .tablePrefix("cc_")
 *         .groupCommit(64, Duration.ofMillis(2))
 *         .build();
 * }</pre>
 *
 * <p>{@link Builder#build()} finds out which database the data source is from its connection's
 * metadata, and refuses one it does not support; what differs between databases (SQL states, row
 * locks, array parameters, time precision) is settled then, once. It brings the schema to the newest
 * version with Flyway (unless turned off with {@link Builder#migrateOnBuild(boolean)}; then call
 * {@link #migrate()}). CareChat's tables and its history table
 * {@code <prefix>carechat_schema_history} can share a schema with the application's own tables.
 *
 * <p>Appends go through group commit: one writer thread gathers concurrent appends into one
 * transaction and acks each caller after it commits. A database that cannot be reached gives
 * {@link io.carechat.messaging.error.UnavailableException}; the storage recovers by itself when it
 * returns. Give the data source a pool with a bounded connection timeout (and, for PostgreSQL, a
 * socket timeout) so calls fail in bounded time, and at least two connections: migrating holds two
 * at once, and the group-commit writer keeps one while readers need others.
 *
 * <p>An acknowledged append survives a crash only if the database writes each commit before it
 * returns: on H2 put {@code WRITE_DELAY=0} in the file URL ({@link Builder#build()} warns once per
 * database when it is missing); PostgreSQL does so as installed.
 *
 * <p>Thread-safe. Lifecycle: build, use, then {@link #close()} after closing the
 * {@code Messaging} that uses it; closing stops the writer thread but leaves the data source to its
 * owner.
 */
public final class JdbcStorage implements MessagingStorage, AutoCloseable {
    private final DataSource dataSource;
    private final String tablePrefix;
    private final JdbiUserStore users;
    private final JdbiConversationStore conversations;
    private final JdbiMessageStore messages;
    private final JdbiReceiptStore receipts;
    private final JdbiRoleRequestStore roleRequests;
    private final JdbiRefreshTokenStore refreshTokens;
    private final GroupCommitWriter writer;
    private final JdbiAuditTrail auditTrail;
    private final JdbiLegalHoldStore legalHolds;
    private final JdbiPresenceStore presence;
    private final JdbiBreakGlassStore breakGlass;
    private final JdbiNotificationStore notifications;
    private final JdbiJobLeaseStore jobLeases;
    private final JdbiEscalationStore escalations;
    private final JdbiAttachmentStore attachments;

    private JdbcStorage(Builder builder) {
        this.dataSource = builder.dataSource;
        this.tablePrefix = builder.tablePrefix;
        Dialect dialect = dialectOf(dataSource, builder.migrateOnBuild);
        if (builder.migrateOnBuild) {
            migrate();
        } else {
            SchemaMigrator.requireCurrent(dataSource, tablePrefix);
        }
        DataSource sessions = dialect.sessions(dataSource);
        Jdbi jdbi = Jdbi.create(sessions);
        jdbi.getConfig(SqlStatements.class)
                .setTemplateEngine(TemplateEngine.NOP)
                .setQueryTimeout(Math.toIntExact(ceilSeconds(builder.queryTimeout)));
        jdbi.getConfig(StatementExceptions.class)
                .setMessageRendering(StatementExceptions.MessageRendering.SHORT_STATEMENT);
        SqlTemplates sql = new SqlTemplates(tablePrefix);
        this.writer = new GroupCommitWriter(
                new WriterConnection(sessions, sql, Math.toIntExact(ceilSeconds(builder.queryTimeout))), dialect,
                builder.maxBatch, builder.maxWait, builder.appendTimeout, builder.threadFactory, builder.metrics);
        this.auditTrail = new JdbiAuditTrail(jdbi, sql, dialect, writer);
        this.users = new JdbiUserStore(jdbi, sql, dialect);
        this.conversations = new JdbiConversationStore(jdbi, sql, dialect);
        this.messages = new JdbiMessageStore(jdbi, sql, dialect, writer, auditTrail);
        this.receipts = new JdbiReceiptStore(jdbi, sql, dialect);
        this.roleRequests = new JdbiRoleRequestStore(jdbi, sql, dialect);
        this.refreshTokens = new JdbiRefreshTokenStore(jdbi, sql, dialect);
        this.legalHolds = new JdbiLegalHoldStore(jdbi, sql, dialect);
        this.presence = new JdbiPresenceStore(jdbi, sql, dialect);
        this.breakGlass = new JdbiBreakGlassStore(jdbi, sql, dialect);
        this.notifications = new JdbiNotificationStore(jdbi, sql, dialect);
        this.jobLeases = new JdbiJobLeaseStore(jdbi, sql, dialect);
        this.escalations = new JdbiEscalationStore(jdbi, sql, dialect);
        this.attachments = new JdbiAttachmentStore(jdbi, sql, dialect);
    }

    /**
     * Finds out which database the data source is, and, when about to migrate it, warns if it
     * acknowledges commits before they are durable.
     */
    private static Dialect dialectOf(DataSource dataSource, boolean checkDurability) {
        try (Connection connection = dataSource.getConnection()) {
            Dialect dialect = Dialect.of(connection);
            if (checkDurability) {
                dialect.warnIfCommitsAreLazy(connection);
            }
            return dialect;
        } catch (SQLException e) {
            throw StorageFailures.unavailable(e);
        }
    }

    /**
     * Starts configuring storage on a data source.
     *
     * @param dataSource the database, usually a connection pool; the application keeps owning it
     * @return a builder
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(requireNonNull(dataSource, "dataSource"));
    }

    /**
     * Brings the schema to the newest version. Migrating an up-to-date schema does nothing.
     *
     * @return how many migrations ran
     * @throws ConfigurationException if the database holds a newer CareChat schema than this code
     *     knows, or applied migrations differ from this code's
     * @throws io.carechat.messaging.error.UnavailableException if the database cannot be reached
     */
    public int migrate() {
        return SchemaMigrator.migrate(dataSource, tablePrefix);
    }

    @Override
    public UserStore users() {
        return users;
    }

    @Override
    public ConversationStore conversations() {
        return conversations;
    }

    @Override
    public MessageStore messages() {
        return messages;
    }

    @Override
    public ReceiptStore receipts() {
        return receipts;
    }

    @Override
    public RoleRequestStore roleRequests() {
        return roleRequests;
    }

    @Override
    public RefreshTokenStore refreshTokens() {
        return refreshTokens;
    }

    @Override
    public AttachmentStore attachments() {
        return attachments;
    }

    @Override
    public LegalHoldStore legalHolds() {
        return legalHolds;
    }

    @Override
    public PresenceStore presence() {
        return presence;
    }

    /** The same store as {@link #messages()}, seen through its maintenance SPI. */
    @Override
    public MessageBodyStore messageBodies() {
        return messages;
    }

    /**
     * The tamper-evident audit trail in this database. Appends from every node sharing the database
     * form one hash chain, and a send handed this trail keeps its message and its audit event in one
     * transaction.
     */
    @Override
    public AuditTrail auditTrail() {
        return auditTrail;
    }

    @Override
    public BreakGlassStore breakGlass() {
        return breakGlass;
    }

    /**
     * The schedule of offline notifications in this database. Nodes sharing the database claim due
     * notices with conditional updates, so each user's notice is sent by one node.
     */
    @Override
    public NotificationStore notifications() {
        return notifications;
    }

    /**
     * The background jobs' leases and progress in this database, for {@code JobScheduler}: nodes
     * sharing the database run each job on one node at a time, and take over a run whose node died.
     */
    @Override
    public JobLeaseStore jobLeases() {
        return jobLeases;
    }

    /**
     * The on-call roster and the escalations, which the group-commit writer inserts with each
     * patient's urgent message; claims are conditional updates, so every node may scan.
     */
    @Override
    public EscalationStore escalations() {
        return escalations;
    }

    /**
     * Announces each new message to the other nodes inside the transaction that stores it, through
     * the node's {@link PostgresEventBus}, instead of leaving it to the bus after the commit. The
     * bus sends its notifications from its own thread once a send has committed, so a node that
     * dies in between (killed, or its bus stopped) has stored and acknowledged a message that no
     * other node hears of, and a member connected to another node gets it only on a reconnect or a
     * {@link io.carechat.messaging.event.Resync}. With this, every group-commit batch also runs
     * {@code pg_notify} for its new messages in its own transaction (one more statement per
     * batch): PostgreSQL delivers those notifications when the batch commits, in commit order (so
     * each conversation's messages reach the other nodes in {@code seq} order), and never when it
     * rolls back. The payload is the one the bus would send (same channel, node id and counter,
     * ids only); the bus then hands those messages' events to its own subscribers only, so each
     * node gets every message once. A message with attachments is still announced by the bus
     * after the commit, once its attachments are linked.
     *
     * <p>Call it once per node, after building the bus on this storage and before the first send;
     * batches that start afterwards announce. Thread-safe. Lifecycle: announcing stops when the
     * bus closes. While it is on, a full PostgreSQL notification queue (a listening session that
     * stays inside a transaction for very long) fails the batches' commits, and their sends are
     * answered unavailable, instead of the notifications being dropped.
     *
     * @param bus this node's bus, built with {@code PostgresEventBus.builder(dataSource, this)}, so
     *     on the same database
     * @throws IllegalArgumentException if the bus was built on another storage
     * @throws IllegalStateException if the database is not PostgreSQL, or commits are already
     *     announced through another bus
     */
    public void announceCommitsThrough(PostgresEventBus bus) {
        requireNonNull(bus, "bus");
        if (bus.storage() != this) {
            throw new IllegalArgumentException("the event bus was built on another storage");
        }
        writer.announceThrough(bus.commitAnnouncer());
    }

    /**
     * Tells whether the group-commit writer, which writes every send and audit event, is running:
     * false once it stopped or its thread died. For readiness checks.
     *
     * @return true while the writer runs
     */
    public boolean isWriterRunning() {
        return writer.isRunning();
    }

    /**
     * Stops the group-commit writer; appends still waiting fail with
     * {@link io.carechat.messaging.error.UnavailableException}. Does not close the data source.
     * Idempotent.
     */
    @Override
    public void close() {
        writer.close();
    }

    private static long ceilSeconds(Duration duration) {
        return duration.getSeconds() + (duration.getNano() > 0 ? 1 : 0);
    }

    /**
     * Configures a {@link JdbcStorage}. Not thread-safe; use it on one thread, then discard it.
     * {@link #build()} checks everything at once and reports every problem together.
     */
    public static final class Builder {
        private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9_]{0,19}");
        private static final int MAX_BATCH_LIMIT = 10_000;
        private static final Duration MAX_WAIT_LIMIT = Duration.ofSeconds(1);

        private final DataSource dataSource;
        private String tablePrefix = "";
        private int maxBatch = 64;
        private Duration maxWait = Duration.ZERO;
        private Duration queryTimeout = Duration.ofSeconds(5);
        private Duration appendTimeout = Duration.ofSeconds(10);
        private boolean migrateOnBuild = true;
        private ThreadFactory threadFactory = runnable -> {
            Thread thread = new Thread(runnable, "carechat-jdbc-group-commit");
            thread.setDaemon(true);
            return thread;
        };

        private MessagingMetrics metrics = MessagingMetrics.NONE;

        private Builder(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        /**
         * Records the storage's meters (group-commit batch size and wait, the commit and audit
         * queues, storage errors; {@code docs/operations.md} lists them) on a Micrometer registry.
         * Micrometer is an optional dependency: without this call none of its classes is loaded.
         * Default: no meters.
         *
         * @param registry the application's registry
         * @return this builder
         */
        public Builder meterRegistry(io.micrometer.core.instrument.MeterRegistry registry) {
            this.metrics = new MicrometerMetrics(requireNonNull(registry, "registry"));
            return this;
        }

        /**
         * Reports what {@link #meterRegistry} would record to another metrics backend. Default:
         * {@link MessagingMetrics#NONE}.
         *
         * @param value the hooks
         * @return this builder
         */
        public Builder metrics(MessagingMetrics value) {
            this.metrics = requireNonNull(value, "metrics");
            return this;
        }

        /**
         * Puts a prefix before every CareChat table, index and constraint name, and before the
         * history table's, so CareChat's schema cannot clash with the application's tables.
         * Default: none.
         *
         * @param prefix lower-case letters, digits and underscores, starting with a letter, at
         *     most 20 characters; or empty for none
         * @return this builder
         */
        public Builder tablePrefix(String prefix) {
            this.tablePrefix = requireNonNull(prefix, "prefix");
            return this;
        }

        /**
         * Bounds group commit: at most {@code maxBatch} messages in one transaction, and at most
         * {@code maxWait} spent waiting for more once the first arrived. Default: 64 and zero
         * (a batch takes what arrived while the previous transaction was committing).
         *
         * @param maxBatch 1 to 10,000
         * @param maxWait zero to one second
         * @return this builder
         */
        public Builder groupCommit(int maxBatch, Duration maxWait) {
            this.maxBatch = maxBatch;
            this.maxWait = requireNonNull(maxWait, "maxWait");
            return this;
        }

        /**
         * The longest one SQL statement may run before the driver cancels it. Default: 5 seconds.
         * Rounded up to whole seconds, as JDBC counts them.
         *
         * @param timeout positive, at most one hour
         * @return this builder
         */
        public Builder queryTimeout(Duration timeout) {
            this.queryTimeout = requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * The longest an append waits for its group-commit batch to start before its caller gets
         * {@link io.carechat.messaging.error.UnavailableException}; such an append is then dropped, never
         * written. Once its batch is being written, the caller waits for that batch's outcome,
         * bounded by the pool's connection timeout and {@link #queryTimeout(Duration)}. Default: 10
         * seconds. Retrying the same {@code clientMsgId} afterwards is safe either way.
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder appendTimeout(Duration timeout) {
            this.appendTimeout = requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Whether {@link #build()} migrates the schema. Default: true. Turn it off when migrations
         * run as a separate deployment step; then call {@link JdbcStorage#migrate()} there, and
         * {@link #build()} only checks that the schema is current.
         *
         * @param migrate true to migrate on build
         * @return this builder
         */
        public Builder migrateOnBuild(boolean migrate) {
            this.migrateOnBuild = migrate;
            return this;
        }

        /**
         * Makes the group-commit writer thread. Default: a daemon thread named
         * {@code carechat-jdbc-group-commit}.
         *
         * @param factory the thread factory
         * @return this builder
         */
        public Builder threadFactory(ThreadFactory factory) {
            this.threadFactory = requireNonNull(factory, "factory");
            return this;
        }

        /**
         * Checks the configuration, migrates the schema (unless turned off) and starts the
         * group-commit writer.
         *
         * @return the storage
         * @throws ConfigurationException listing every problem with the configuration, if the
         *     database is not one JdbcStorage supports, if it holds a newer CareChat schema, or, when
         *     not migrating, an older one
         * @throws io.carechat.messaging.error.UnavailableException if the database cannot be reached
         */
        public JdbcStorage build() {
            List<String> problems = new ArrayList<>();
            if (!tablePrefix.isEmpty() && !PREFIX.matcher(tablePrefix).matches()) {
                problems.add("tablePrefix must be empty or 1 to 20 lower-case letters, digits and"
                        + " underscores, starting with a letter");
            }
            if (maxBatch < 1 || maxBatch > MAX_BATCH_LIMIT) {
                problems.add("groupCommit maxBatch must be between 1 and " + MAX_BATCH_LIMIT);
            }
            if (maxWait.isNegative() || maxWait.compareTo(MAX_WAIT_LIMIT) > 0) {
                problems.add("groupCommit maxWait must be between zero and " + MAX_WAIT_LIMIT.toMillis() + " ms");
            }
            if (queryTimeout.isNegative() || queryTimeout.isZero() || queryTimeout.compareTo(Duration.ofHours(1)) > 0) {
                problems.add("queryTimeout must be positive and at most one hour");
            }
            if (appendTimeout.isNegative() || appendTimeout.isZero()) {
                problems.add("appendTimeout must be positive");
            }
            if (!problems.isEmpty()) {
                throw new ConfigurationException("JdbcStorage", problems);
            }
            return new JdbcStorage(this);
        }
    }
}
