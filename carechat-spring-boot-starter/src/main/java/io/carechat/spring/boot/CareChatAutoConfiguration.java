package io.carechat.spring.boot;

import io.carechat.messaging.Messaging;
import io.carechat.messaging.auth.TokenSettings;
import io.carechat.messaging.hub.Hub;
import io.carechat.messaging.hub.HubSettings;
import io.carechat.messaging.hub.TokenVerifier;
import io.carechat.messaging.jdbc.JdbcStorage;
import io.carechat.messaging.jdbc.PostgresEventBus;
import io.carechat.messaging.memory.InMemoryEventBus;
import io.carechat.messaging.metrics.MessagingMetrics;
import io.carechat.messaging.metrics.MicrometerMetrics;
import io.carechat.messaging.model.MessagingLimits;
import io.carechat.messaging.spi.EventBus;
import io.carechat.messaging.spi.KeyProvider;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Builds CareChat from the application's own beans: {@link JdbcStorage} on its {@link DataSource}
 * (migrating the schema as the library does), an event bus (PostgreSQL LISTEN/NOTIFY on
 * PostgreSQL, so nodes sharing the database form a cluster; in memory otherwise), the encryption
 * keys, token verification for the hospital's identity provider, the {@link Messaging} facade and
 * the real-time {@link Hub}. Every bean backs off when the application defines one of its type.
 * Spring closes them with the context, dependents first: hub, facade, bus, storage (the data
 * source stays the application's).
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class)
@ConditionalOnSingleCandidate(DataSource.class)
@EnableConfigurationProperties(CareChatProperties.class)
public class CareChatAutoConfiguration {

    /**
     * Storage on the application's data source; builds the schema on start.
     *
     * @param dataSource the application's data source
     * @return the storage
     */
    @Bean
    @ConditionalOnMissingBean
    public JdbcStorage carechatStorage(DataSource dataSource, ObjectProvider<MessagingMetrics> metrics) {
        return JdbcStorage.builder(dataSource).metrics(metrics.getIfAvailable(() -> MessagingMetrics.NONE)).build();
    }

    /**
     * The event bus: LISTEN/NOTIFY on PostgreSQL, through its own connection opened with
     * {@code spring.datasource.*} (or, without those, one connection held from the data source);
     * in memory on any other database.
     *
     * @param dataSource the application's data source
     * @param storage CareChat's storage on it
     * @param dataSourceProperties Spring's data source settings, when present
     * @return the bus
     */
    @Bean
    @ConditionalOnMissingBean
    public EventBus carechatEventBus(DataSource dataSource, JdbcStorage storage,
            ObjectProvider<DataSourceProperties> dataSourceProperties) {
        if (!isPostgres(dataSource)) {
            return new InMemoryEventBus();
        }
        DataSourceProperties settings = dataSourceProperties.getIfAvailable();
        PostgresEventBus.ListenerConnections listener = settings != null && settings.determineUrl() != null
                ? () -> DriverManager.getConnection(settings.determineUrl(), settings.determineUsername(),
                        settings.determinePassword())
                : dataSource::getConnection;
        PostgresEventBus bus = PostgresEventBus.builder(dataSource, storage).listenerConnections(listener).build();
        storage.announceCommitsThrough(bus);
        return bus;
    }

    /**
     * The keys that seal message bodies at rest.
     *
     * @param properties the settings
     * @return the keys
     */
    @Bean
    @ConditionalOnMissingBean
    public KeyProvider carechatKeyProvider(CareChatProperties properties) {
        return EncryptionKeys.load(properties.getEncryption());
    }

    /**
     * External-only token settings with the hospital's identity provider.
     *
     * @param properties the settings
     * @param environment for Spring Security's resource server settings
     * @return the token settings
     */
    @Bean
    @ConditionalOnMissingBean
    public TokenSettings carechatTokenSettings(CareChatProperties properties, Environment environment) {
        return IdentitySettings.tokenSettings(properties, environment);
    }

    /**
     * The facade, on the storage, bus, keys and tokens above.
     *
     * @param storage the storage
     * @param bus the event bus
     * @param keys the encryption keys
     * @param tokens the token settings
     * @param properties the settings
     * @return the facade; closed with the context
     */
    @Bean
    @ConditionalOnMissingBean
    public Messaging carechatMessaging(JdbcStorage storage, EventBus bus, KeyProvider keys, TokenSettings tokens,
            CareChatProperties properties, ObjectProvider<MessagingMetrics> metrics) {
        return Messaging.builder()
                .metrics(metrics.getIfAvailable(() -> MessagingMetrics.NONE))
                .storage(storage)
                .eventBus(bus)
                .auditSink(storage.auditTrail())
                .attachmentStore(storage.attachments())
                .keyProvider(keys)
                .tokens(tokens)
                .limits(limits(properties.getLimits()))
                .nodeId(bus instanceof PostgresEventBus postgres ? postgres.nodeId() : UUID.randomUUID().toString())
                .build();
    }

    /**
     * The retention and key rotation jobs at the {@code carechat.jobs.*} intervals, each claimed
     * by one node of the cluster through the storage's job leases.
     *
     * @param storage the storage
     * @param keys the encryption keys
     * @param properties the settings
     * @return the jobs; stopped with the context
     */
    @Bean
    @ConditionalOnMissingBean
    public BackgroundJobs carechatBackgroundJobs(JdbcStorage storage, KeyProvider keys, CareChatProperties properties,
            ObjectProvider<MessagingMetrics> metrics) {
        BackgroundJobs jobs = new BackgroundJobs(storage, keys, properties.getJobs());
        metrics.ifAvailable(m -> m.watchJobs(jobs::status));
        return jobs;
    }

    /**
     * Verifies the tokens sockets present: CareChat's own verification of the provider's tokens,
     * with revocations.
     *
     * @param messaging the facade
     * @return the verifier
     */
    @Bean
    @ConditionalOnMissingBean
    public TokenVerifier carechatTokenVerifier(Messaging messaging) {
        return TokenVerifier.of(messaging.tokens());
    }

    /**
     * The hub's threads.
     *
     * @param properties the settings
     * @return the threads; shut down with the context
     */
    @Bean
    @ConditionalOnMissingBean
    public HubThreads carechatHubThreads(CareChatProperties properties) {
        return new HubThreads(properties.getHub().getWorkerThreads());
    }

    /**
     * The real-time hub any transport feeds sockets to.
     *
     * @param messaging the facade
     * @param bus the event bus
     * @param verifier the token verifier
     * @param threads the hub's threads
     * @param properties the settings
     * @return the hub; closed with the context, before the facade
     */
    @Bean
    @ConditionalOnMissingBean
    public Hub carechatHub(Messaging messaging, EventBus bus, TokenVerifier verifier, HubThreads threads,
            CareChatProperties properties) {
        HubSettings.Builder settings = HubSettings.builder();
        Integer socketsPerUser = properties.getHub().getMaxSocketsPerUser();
        if (socketsPerUser != null) {
            settings.maxSocketsPerUser(socketsPerUser);
        }
        return Hub.builder()
                .messaging(messaging)
                .eventBus(bus)
                .tokenVerifier(verifier)
                .workers(threads.workers())
                .scheduler(threads.timer())
                .settings(settings.build())
                .build();
    }

    static MessagingLimits limits(CareChatProperties.Limits limits) {
        MessagingLimits defaults = MessagingLimits.defaults();
        MessagingLimits.Builder builder = MessagingLimits.builder()
                .maxBodyChars(orElse(limits.getMaxBodyChars(), defaults.maxBodyChars()))
                .sendRate(orElse(limits.getSendRatePerSecond(), defaults.sendRate().perSecond()),
                        orElse(limits.getSendBurst(), defaults.sendRate().burst()))
                .maxGroupMembers(orElse(limits.getMaxGroupMembers(), defaults.maxGroupMembers()));
        return builder.build();
    }

    private static int orElse(@Nullable Integer value, int fallback) {
        return value == null ? fallback : value;
    }

    private static boolean isPostgres(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgresql");
        } catch (SQLException e) {
            throw new IllegalStateException("CareChat cannot reach the application's database to find its kind: "
                    + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * CareChat's meters on the application's Micrometer registry, when Micrometer is on the class
     * path and the application (or Actuator) has a {@code MeterRegistry}: the storage, the facade,
     * the hub and the background jobs record on it ({@code docs/operations.md}).
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
    static class Meters {
        /**
         * The meters, or none without a registry.
         *
         * @param registry the application's registry, if it has one
         * @return what CareChat reports through
         */
        @Bean
        @ConditionalOnMissingBean
        MessagingMetrics carechatMetrics(ObjectProvider<io.micrometer.core.instrument.MeterRegistry> registry) {
            io.micrometer.core.instrument.MeterRegistry meters = registry.getIfAvailable();
            return meters == null ? MessagingMetrics.NONE : new MicrometerMetrics(meters);
        }
    }
}
