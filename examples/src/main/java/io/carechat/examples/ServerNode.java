package io.carechat.examples;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.carechat.examples.api.HealthApi;
import io.carechat.examples.api.HttpApi;
import io.carechat.examples.api.MetricsApi;
import io.carechat.examples.api.JobsApi;
import io.carechat.messaging.crypto.KeyRotationJob;
import io.carechat.messaging.jobs.JobScheduler;
import io.carechat.messaging.metrics.MicrometerMetrics;
import io.carechat.messaging.retention.RetentionJob;
import io.carechat.messaging.retention.RetentionPolicy;
import io.carechat.examples.http.AddressGate;
import io.carechat.examples.http.AddressRateLimiter;
import io.carechat.examples.http.Router;
import io.carechat.examples.http.SecurityHeaders;
import io.carechat.messaging.Messaging;
import io.carechat.messaging.auth.TokenSettings;
import io.carechat.messaging.crypto.StaticKeyProvider;
import io.carechat.messaging.hub.Hub;
import io.carechat.messaging.hub.HubSettings;
import io.carechat.messaging.hub.TokenVerifier;
import io.carechat.messaging.jdbc.JdbcStorage;
import io.carechat.messaging.jdbc.PostgresEventBus;
import io.carechat.messaging.memory.InMemoryEventBus;
import io.carechat.messaging.nats.NatsEventBus;
import io.carechat.messaging.model.MessagingLimits;
import io.carechat.messaging.protocol.ProtocolCodec;
import io.carechat.messaging.protocol.ProtocolLimits;
import io.carechat.messaging.retention.UnlinkedUploadPurge;
import io.carechat.messaging.spi.EventBus;
import io.carechat.messaging.websocket.jakarta.CareChatEndpointConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running demo server: the database pool, CareChat's storage, event bus and facade, the
 * real-time hub with its WebSocket endpoint, the HTTP API with the web UI (all on one Jetty port,
 * and the socket also on a port of its own when one is configured), and the housekeeping
 * timer (the end of audit windows of aggregated refusals, the purge of uploads never sent). This class is the
 * example of how a hospital system wires CareChat; everything else in this module serves it.
 *
 * <p>Lifecycle: {@link #start(ServerConfig)} starts everything; {@link #close()} stops the
 * listeners first (the one-port socket endpoint closing its sockets with 1001, then Jetty, then the
 * separate socket port), then the hub (closing any other sockets with 1001), the facade, and the
 * database last.
 */
public final class ServerNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServerNode.class);
    private static final int MAX_JSON_BYTES = 256 * 1024;
    /** How often uploads never sent in a message are looked for and purged. */
    private static final Duration UPLOAD_PURGE_PERIOD = Duration.ofMinutes(10);

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final ServerConfig config;
    private final Messaging messaging;
    private final OnePortServer http;
    private final SeedResult seed;

    /** What start-up created: the generated admin password (printed once) and demo accounts. */
    record SeedResult(String generatedAdminPassword, List<Seeding.DemoAccount> demoAccounts) {}

    private ServerNode(ServerConfig config) throws IOException, GeneralSecurityException {
        this.config = config;
        try {
            DataFolder.prepare(config.dataDir());
            // Every meter of the storage, the facade and the hub, served admin-only at /metrics.
            PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            resources.add(meters::close);
            HikariDataSource dataSource = dataSource(config);
            resources.add(dataSource);
            DataFolder.restrictFiles(config.dataDir());
            // Up to 256 sends per transaction under load; none waits for a batch to fill.
            JdbcStorage storage = JdbcStorage.builder(dataSource).groupCommit(256, Duration.ZERO)
                    .meterRegistry(meters).build();
            resources.add(storage);
            StaticKeyProvider keys = EncryptionKeys.resolve(config);
            EventBus bus = eventBus(config, dataSource, storage);
            resources.add(bus);
            AbuseLimits abuse = config.abuse();
            ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(daemon("carechat-housekeeping"));
            resources.add(() -> shutdown(housekeeping));
            MessagingLimits limits = MessagingLimits.builder()
                    .maxBodyChars(config.maxBodyChars())
                    .sendRate(config.sendRatePerSecond(), config.sendBurst())
                    .typingRate(abuse.typingPerSecond(), 2 * abuse.typingPerSecond())
                    .presenceRate(abuse.presencePerSecond(), 5 * abuse.presencePerSecond())
                    .historyRate(abuse.historyPerSecond(), 3 * abuse.historyPerSecond())
                    .maxGroupMembers(config.maxCareTeamMembers())
                    .build();
            Messaging.Builder builder = Messaging.builder()
                    .meterRegistry(meters)
                    .storage(storage)
                    .eventBus(bus)
                    .limits(limits)
                    .tokens(tokenSettings(config))
                    .auditSink(storage.auditTrail())
                    .keyProvider(keys)
                    .attachmentStore(storage.attachments())
                    .attachmentLimits(config.maxAttachmentBytes(), Math.max(config.maxAttachmentBytes(), 100L << 20))
                    .attachmentStorageLimit(Math.max(abuse.attachmentStorageBytes(),
                            Math.max(config.maxAttachmentBytes(), 100L << 20)))
                    .loginThrottle(abuse.loginThrottle())
                    .aggregateRefusals(abuse.refusalAuditWindow(), housekeeping)
                    .nodeId(nodeId(bus))
                    .clusterPresence(config.presenceLease(), housekeeping)
                    .recallWindow(config.recordKeeping().recallWindow())
                    .fhirIdentifierSystem(config.recordKeeping().fhirIdentifierSystem())
                    .breakGlassDuration(config.clinicalAccess().breakGlass())
                    .accessLogMaxLimit(config.clinicalAccess().accessLogMaxLimit())
                    .urgentEscalation(config.clinicalAccess().escalation(), config.clinicalAccess().escalationScan(),
                            housekeeping);
            if (config.offlineNotices().settings().isPresent()) {
                ExecutorService notifierCalls = Executors.newSingleThreadExecutor(daemon("carechat-notifier"));
                resources.add(() -> shutdown(notifierCalls));
                builder.notifier(new LogNotifier(), config.offlineNotices().settings().get(), housekeeping, notifierCalls);
            }
            messaging = builder.build();
            resources.add(messaging);
            ScheduledFuture<?> uploadPurge = UnlinkedUploadPurge.builder()
                    .attachments(storage.attachments())
                    .legalHolds(storage.legalHolds())
                    .auditSink(storage.auditTrail())
                    .maxAge(abuse.unlinkedUploadAge())
                    .executor(housekeeping)
                    .build()
                    .start(UPLOAD_PURGE_PERIOD);
            resources.add(() -> uploadPurge.cancel(false));
            // Jobs run for minutes: on their own thread, not housekeeping's.
            ScheduledExecutorService jobThread = Executors.newSingleThreadScheduledExecutor(daemon("carechat-jobs"));
            resources.add(() -> shutdown(jobThread));
            JobScheduler jobs = backgroundJobs(config.backgroundJobs(), storage, keys, jobThread);
            resources.add(jobs);
            jobs.start();
            new MicrometerMetrics(meters).watchJobs(jobs::status);
            seed = new SeedResult(Seeding.firstAdmin(messaging, storage.users(), config),
                    config.demoData() ? Seeding.demoAccounts(messaging, storage.users()) : List.of());

            ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(daemon("carechat-hub-timer"));
            ExecutorService workers = fixedPool(config.workerThreads(), "carechat-hub-worker");
            resources.add(() -> shutdown(workers));
            resources.add(() -> shutdown(timers));
            Hub hub = Hub.builder()
                    .messaging(messaging)
                    .tokenVerifier(TokenVerifier.of(messaging.tokens()))
                    .eventBus(bus)
                    .scheduler(timers)
                    .workers(workers)
                    .codec(new ProtocolCodec(ProtocolLimits.from(limits).withMaxFrameChars(config.maxFrameBytes())))
                    .settings(HubSettings.builder()
                            .maxSocketsPerUser(config.socketsPerUser())
                            .idleTimeout(config.idleLogoff())
                            .build())
                    .build();
            resources.add(hub);
            SSLContext ssl = StartupFailure.readingKeystore(config, () -> sslContext(config));
            if (config.wsPort().isPresent()) {
                resources.add(StartupFailure.binding(Setting.WS_PORT, config.wsPort().getAsInt(),
                        () -> WebSocketEndpoint.startOnSeparatePort(config, hub, ssl)));
            }

            SecurityHeaders securityHeaders = new SecurityHeaders(config.wsUrl(), config.tls());
            Router api = HttpApi.router(messaging, storage.users(), new HttpApi.ClientConfig(config.wsUrl(),
                    config.maxBodyChars(), config.maxAttachmentBytes(), config.accessTokenTtl().toSeconds(), 15,
                    config.recordKeeping().recallWindow().toSeconds(), !config.externalIdentity().externalOnly()),
                    () -> databaseUp(dataSource), MAX_JSON_BYTES, config.corsOrigins(), securityHeaders,
                    new AddressRateLimiter(config.registrationsPerMinute()),
                    new AddressRateLimiter(abuse.unauthenticatedRequestsPerMinute()));
            new MetricsApi(messaging, meters).register(api);
            new HealthApi(() -> databaseUp(dataSource), busLinked(bus), storage::isWriterRunning).register(api);
            JobsApi.register(api, messaging, jobs::status);
            AddressGate gate = new AddressGate(abuse.httpRequestsPerAddress(), securityHeaders);
            CareChatEndpointConfig socket = WebSocketEndpoint.onePort(config, hub);
            http = StartupFailure.binding(Setting.HTTP_PORT, config.httpPort(),
                    () -> OnePortServer.start(config, ssl, securityHeaders, api, gate, socket));
            resources.add(http);
            // Closed before Jetty: upgrades refused, sockets closed with 1001 after their queued frames.
            resources.add(socket);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            closeQuietly();
            throw e;
        }
    }

    /**
     * The scheduler of the retention and key rotation jobs, over the database's job leases, so each
     * run is claimed by one node of the cluster. A job turned off is not added; the scheduler is
     * built either way, so that the admin dashboard lists the jobs that are on.
     */
    private static JobScheduler backgroundJobs(BackgroundJobs settings, JdbcStorage storage, StaticKeyProvider keys,
            ScheduledExecutorService executor) {
        JobScheduler.Builder jobs = JobScheduler.builder().leaseStore(storage.jobLeases()).executor(executor);
        settings.retentionInterval().ifPresent(interval -> {
            RetentionPolicy.Builder policy = RetentionPolicy.builder();
            settings.retentionAge().ifPresent(policy::maxMessageAge);
            jobs.job(RetentionJob.builder().storage(storage).policy(policy.build()).build(), interval);
        });
        settings.keyRotationInterval().ifPresent(interval -> jobs.job(
                KeyRotationJob.builder().storage(storage).keyProvider(keys).build(), interval));
        return jobs.build();
    }

    /**
     * Starts a server.
     *
     * @param config the configuration
     * @return the running server
     * @throws IOException if a port or the data folder cannot be used
     * @throws GeneralSecurityException if the TLS keystore cannot be read
     */
    public static ServerNode start(ServerConfig config) throws IOException, GeneralSecurityException {
        return new ServerNode(config);
    }

    ServerConfig config() {
        return config;
    }

    SeedResult seed() {
        return seed;
    }

    /** @return the bound HTTP port */
    int httpPort() {
        return http.port();
    }

    @Override
    public void close() {
        closeQuietly();
    }

    private void closeQuietly() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                log.warn("closing {} failed: {}", resources.get(i).getClass().getSimpleName(), e.getClass().getName());
            }
        }
        resources.clear();
    }

    private static HikariDataSource dataSource(ServerConfig config) {
        Properties login = new Properties();
        String user = config.embeddedDatabase() ? "sa" : config.dbUser();
        if (!user.isEmpty()) {
            login.setProperty("user", user);
        }
        if (!config.embeddedDatabase() && !config.dbPassword().isEmpty()) {
            login.setProperty("password", config.dbPassword());
        }
        StartupFailure.probeDatabase(config, login);
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(config.jdbcUrl());
        if (config.embeddedDatabase()) {
            pool.setUsername("sa");
        } else {
            pool.setUsername(config.dbUser());
            pool.setPassword(config.dbPassword());
        }
        if (config.jdbcUrl().startsWith("jdbc:mariadb:") || config.jdbcUrl().startsWith("jdbc:mysql:")) {
            // CareChat's statements assume READ COMMITTED; MariaDB's default is REPEATABLE READ
            pool.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        }
        pool.setMaximumPoolSize(16);
        pool.setConnectionTimeout(3_000);
        pool.setPoolName("carechat");
        return new HikariDataSource(pool);
    }

    /**
     * CareChat's own token settings, with the hospital's identity provider if one is configured;
     * external-only takes no signing key, so no JWT secret is generated or read then.
     */
    private static TokenSettings tokenSettings(ServerConfig config) throws IOException {
        TokenSettings.Builder tokens = TokenSettings.builder()
                .issuer("carechat-demo")
                .audience("carechat")
                .accessTokenTtl(config.accessTokenTtl())
                .refreshFamilyLifetime(config.refreshMaxAge());
        config.externalIdentity().provider().ifPresent(tokens::externalProvider);
        if (config.externalIdentity().externalOnly()) {
            tokens.externalOnly();
        } else {
            tokens.hmacSecret("demo-hs256", JwtSecret.resolve(config));
        }
        return tokens.build();
    }

    /**
     * Nodes sharing the database form a cluster through NATS JetStream when {@code CARECHAT_NATS_URL}
     * names servers; otherwise on PostgreSQL through LISTEN/NOTIFY, where the storage announces each
     * new message in the transaction that stores it, so a node killed right after a commit has
     * still told the others. The embedded database serves one node, so events stay in memory.
     */
    private static EventBus eventBus(ServerConfig config, HikariDataSource dataSource, JdbcStorage storage) {
        if (!config.natsUrls().isEmpty()) {
            // a stream of its own has subjects of its own: JetStream refuses streams whose subjects overlap
            String subjects = config.natsStream().equals(NatsEventBus.DEFAULT_STREAM)
                    ? NatsEventBus.DEFAULT_SUBJECT_PREFIX
                    : "carechat." + config.natsStream().toLowerCase(Locale.ROOT);
            return NatsEventBus.builder(storage).servers(config.natsUrls().toArray(String[]::new))
                    .streamName(config.natsStream()).subjectPrefix(subjects).build();
        }
        if (!config.jdbcUrl().startsWith("jdbc:postgresql:")) {
            return new InMemoryEventBus();
        }
        Properties listener = new Properties();
        if (!config.dbUser().isEmpty()) {
            listener.setProperty("user", config.dbUser());
        }
        if (!config.dbPassword().isEmpty()) {
            listener.setProperty("password", config.dbPassword());
        }
        PostgresEventBus bus =
                PostgresEventBus.builder(dataSource, storage).listenerUrl(config.jdbcUrl(), listener).build();
        storage.announceCommitsThrough(bus);
        return bus;
    }

    /** The event bus's node id when it has one, so presence and notifications name a node alike. */
    private static String nodeId(EventBus bus) {
        if (bus instanceof PostgresEventBus postgres) {
            return postgres.nodeId();
        }
        return bus instanceof NatsEventBus nats ? nats.nodeId() : UUID.randomUUID().toString();
    }

    /** Whether the bus reaches the other nodes: listening on PostgreSQL, linked to NATS; in memory always. */
    private static BooleanSupplier busLinked(EventBus bus) {
        if (bus instanceof PostgresEventBus postgres) {
            return postgres::isListening;
        }
        if (bus instanceof NatsEventBus nats) {
            return nats::isLinked;
        }
        return () -> true;
    }

    private static boolean databaseUp(HikariDataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    static SSLContext sslContext(ServerConfig config) throws IOException, GeneralSecurityException {
        if (config.tlsKeystore().isEmpty()) {
            return null;
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        char[] password = config.tlsKeystorePassword().toCharArray();
        try (InputStream in = Files.newInputStream(config.tlsKeystore().get())) {
            store.load(in, password);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    /**
     * A pool of daemon threads that are all started up front: the server's thread count stays
     * level, so a fault that keeps every worker waiting on the database leaves no threads behind.
     */
    private static ExecutorService fixedPool(int threads, String name) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), daemon(name));
        pool.prestartAllCoreThreads();
        return pool;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread t = new Thread(runnable, name);
            t.setDaemon(true);
            return t;
        };
    }

    private static void shutdown(ExecutorService executor) throws InterruptedException {
        executor.shutdown();
        if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
            executor.shutdownNow();
        }
    }

}
