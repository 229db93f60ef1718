package io.carechat.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.carechat.messaging.Messaging;
import io.carechat.messaging.auth.DirectoryUser;
import io.carechat.messaging.auth.ExternalIdentityProvider;
import io.carechat.messaging.auth.TokenSettings;
import io.carechat.messaging.hub.Hub;
import io.carechat.messaging.hub.TokenVerifier;
import io.carechat.messaging.hub.VerifiedToken;
import io.carechat.messaging.jdbc.JdbcStorage;
import io.carechat.messaging.jobs.JobStatus;
import io.carechat.messaging.memory.InMemoryEventBus;
import io.carechat.messaging.metrics.MessagingMetrics;
import io.carechat.messaging.metrics.MicrometerMetrics;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.EventBus;
import io.carechat.messaging.spi.JobRecord;
import io.carechat.messaging.websocket.jakarta.CareChatEndpointConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.Servlet;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@DisplayName("CareChat's auto-configuration builds CareChat from the application's beans")
class CareChatAutoConfigurationTest {

    private static final String KEYS = "carechat.encryption.keys=k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    private static final AutoConfigurations CARECHAT = AutoConfigurations.of(CareChatAutoConfiguration.class,
            CareChatWebSocketAutoConfiguration.class, CareChatHealthAutoConfiguration.class);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(CARECHAT)
            .withUserConfiguration(Database.class)
            .withPropertyValues(KEYS,
                    "carechat.identity.issuer=https://sso.hospital.example/realms/hospital",
                    "carechat.identity.jwks-url=https://sso.hospital.example/realms/hospital/protocol/openid-connect/certs");

    @Nested
    @DisplayName("With the application's data source and identity provider")
    class Defaults {

        @Test
        @DisplayName("Storage, bus, facade, verifier, hub and health contributors are there; no socket outside a web application")
        void everyPieceIsThere() {
            runner.run(context -> {
                assertThat(context).hasNotFailed();
                assertThat(context).hasSingleBean(JdbcStorage.class).hasSingleBean(Messaging.class)
                        .hasSingleBean(TokenVerifier.class).hasSingleBean(Hub.class).hasSingleBean(HubThreads.class);
                assertThat(context.getBean(EventBus.class)).isInstanceOf(InMemoryEventBus.class);
                assertThat(context).doesNotHaveBean(CareChatEndpointConfig.class);
                assertThat(context).hasBean("carechatStorageHealthIndicator").hasBean("carechatEventBusHealthIndicator")
                        .hasBean("carechatHubHealthIndicator");
                for (String name : new String[] {"carechatStorageHealthIndicator", "carechatEventBusHealthIndicator",
                        "carechatHubHealthIndicator"}) {
                    assertThat(context.getBean(name, HealthIndicator.class).health(true).getStatus())
                            .as(name).isEqualTo(Status.UP);
                }
            });
        }

        @Test
        @DisplayName("The facade works on the application's database: the schema was migrated")
        void facadeWorksOnTheDatabase() {
            runner.run(context -> {
                Messaging messaging = context.getBean(Messaging.class);
                UserId id = UserId.of("doctor-1");
                messaging.accounts().directory().upsert("test-sync",
                        new DirectoryUser(id, "dr.grey", "grey@hospital.example", "Dr Grey", Set.of(Role.DOCTOR)));
                assertThat(messaging.unread(Caller.of(id, Set.of(Role.DOCTOR))).total()).isZero();
            });
        }

        @Test
        @DisplayName("CareChat issues no tokens and trusts exactly the configured provider")
        void externalOnlyWithTheProvider() {
            runner.run(context -> {
                TokenSettings tokens = context.getBean(TokenSettings.class);
                assertThat(tokens.issuesTokens()).isFalse();
                assertThat(tokens.externalProviders()).singleElement()
                        .extracting(ExternalIdentityProvider::issuer)
                        .isEqualTo("https://sso.hospital.example/realms/hospital");
            });
        }

        @Test
        @DisplayName("Closing the context closes the hub's threads")
        void closingTheContextStopsTheHub() {
            HubThreads[] threads = new HubThreads[1];
            runner.run(context -> threads[0] = context.getBean(HubThreads.class));
            assertThat(threads[0].workers().isShutdown()).isTrue();
            assertThat(threads[0].timer().isShutdown()).isTrue();
        }
    }

    @Nested
    @DisplayName("carechat.* properties")
    class Properties {

        @Test
        @DisplayName("carechat.jobs.* schedules retention and key rotation, which run by themselves on the database's"
                + " leases; with no interval set no job is scheduled")
        void jobsAreScheduled() {
            runner.run(context -> assertThat(context.getBean(BackgroundJobs.class).status()).isEmpty());
            runner.withPropertyValues("carechat.jobs.retention-interval=1h", "carechat.jobs.retention-max-age=3650d",
                            "carechat.jobs.key-rotation-interval=1h", "carechat.jobs.poll-interval=50ms")
                    .run(context -> {
                        BackgroundJobs jobs = context.getBean(BackgroundJobs.class);
                        List<JobStatus> status = jobs.status();
                        for (int attempt = 0; attempt < 600
                                && !status.stream().allMatch(s -> s.outcome() == JobRecord.Outcome.OK); attempt++) {
                            Thread.sleep(50);
                            status = jobs.status();
                        }
                        assertThat(status).extracting(JobStatus::name).containsExactly("retention", "key-rotation");
                        assertThat(status).allSatisfy(s -> {
                            assertThat(s.outcome()).isEqualTo(JobRecord.Outcome.OK);
                            assertThat(s.interval()).isEqualTo(java.time.Duration.ofHours(1));
                            assertThat(s.endedAt()).isNotNull();
                        });
                    });
        }

        @Test
        @DisplayName("With the application's MeterRegistry, the storage, the facade and the jobs record CareChat's"
                + " meters on it; without one, no meters")
        void metersOnTheApplicationsRegistry() {
            runner.run(context -> assertThat(context.getBean(MessagingMetrics.class)).isSameAs(MessagingMetrics.NONE));
            runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                    .withPropertyValues("carechat.jobs.retention-interval=1h", "carechat.jobs.retention-max-age=3650d")
                    .run(context -> {
                        MeterRegistry registry = context.getBean(MeterRegistry.class);
                        assertThat(registry.find(MicrometerMetrics.COMMIT_QUEUE).gauge()).as("the storage's").isNotNull();
                        assertThat(registry.find(MicrometerMetrics.JOB_RUNNING).tag("job", "retention").gauge())
                                .as("the jobs'").isNotNull();
                        Messaging messaging = context.getBean(Messaging.class);
                        messaging.accounts().directory().upsert("test-sync", new DirectoryUser(UserId.of("doctor-9"),
                                "dr.nine", "nine@hospital.example", "Dr Nine", Set.of(Role.DOCTOR)));
                        assertThatThrownBy(() -> messaging.history(Caller.of(UserId.of("doctor-9"), Set.of(Role.DOCTOR)),
                                io.carechat.messaging.model.ConversationId.of("no-such-conversation"), null, null))
                                .isInstanceOf(io.carechat.messaging.error.NotFoundException.class);
                    });
        }

        @Test
        @DisplayName("A job interval below 10ms is refused at start-up")
        void badJobIntervalRefused() {
            runner.withPropertyValues("carechat.jobs.retention-interval=1ms")
                    .run(context -> assertThat(context).hasFailed().getFailure()
                            .hasStackTraceContaining("the interval of job retention must be at least 10ms"));
        }

        @Test
        @DisplayName("Limits, role mapping, claims and hub settings are bound and reach CareChat")
        void propertiesAreBound() {
            runner.withPropertyValues("carechat.limits.max-body-chars=500",
                            "carechat.limits.send-rate-per-second=3", "carechat.limits.send-burst=6",
                            "carechat.identity.audiences=carechat,api://carechat",
                            "carechat.identity.accepted-types=JWT",
                            "carechat.identity.optional-claims=jti",
                            "carechat.identity.user-id-claim=oid",
                            "carechat.identity.roles-claims=realm_access.roles",
                            "carechat.identity.role-mapping.carechat-doctor=DOCTOR",
                            "carechat.identity.role-mapping.carechat-patient=PATIENT",
                            "carechat.identity.default-role=PATIENT",
                            "carechat.hub.max-sockets-per-user=3")
                    .run(context -> {
                        Messaging messaging = context.getBean(Messaging.class);
                        assertThat(messaging.limits().maxBodyChars()).isEqualTo(500);
                        assertThat(messaging.limits().sendRate().perSecond()).isEqualTo(3);
                        assertThat(messaging.limits().sendRate().burst()).isEqualTo(6);
                        ExternalIdentityProvider provider =
                                context.getBean(TokenSettings.class).externalProviders().get(0);
                        assertThat(provider.audiences()).containsExactly("carechat", "api://carechat");
                        assertThat(provider.optionalClaims()).containsExactly("jti");
                        assertThat(provider.userIdClaim()).isEqualTo("oid");
                        assertThat(provider.rolesClaims()).containsExactly("realm_access.roles");
                        assertThat(provider.roleMapping()).isEqualTo(
                                Map.of("carechat-doctor", Role.DOCTOR, "carechat-patient", Role.PATIENT));
                        assertThat(provider.defaultRole()).contains(Role.PATIENT);
                        CareChatProperties properties = context.getBean(CareChatProperties.class);
                        assertThat(properties.getHub().getMaxSocketsPerUser()).isEqualTo(3);
                    });
        }

        @Test
        @DisplayName("Without carechat.identity.*, the issuer and JWKS URL come from Spring Security's resource server settings")
        void identityFallsBackToSpringSecurity() {
            new ApplicationContextRunner()
                    .withConfiguration(CARECHAT)
                    .withUserConfiguration(Database.class)
                    .withPropertyValues(KEYS,
                            "spring.security.oauth2.resourceserver.jwt.issuer-uri=https://login.example/tenant/v2.0",
                            "spring.security.oauth2.resourceserver.jwt.jwk-set-uri=https://login.example/tenant/keys")
                    .run(context -> assertThat(context.getBean(TokenSettings.class).externalProviders())
                            .singleElement().extracting(ExternalIdentityProvider::issuer)
                            .isEqualTo("https://login.example/tenant/v2.0"));
        }

        @Test
        @DisplayName("With only Spring Security's issuer-uri, the JWKS URL comes from the issuer's OpenID Connect metadata")
        void jwksUrlIsDiscovered() throws IOException {
            try (LoopbackMetadata metadata = LoopbackMetadata.start(null)) {
                new ApplicationContextRunner()
                        .withConfiguration(CARECHAT)
                        .withUserConfiguration(Database.class)
                        .withPropertyValues(KEYS, "spring.security.oauth2.resourceserver.jwt.issuer-uri=" + metadata.issuer())
                        .run(context -> {
                            assertThat(context).hasNotFailed();
                            assertThat(context.getBean(TokenSettings.class).externalProviders())
                                    .singleElement().extracting(ExternalIdentityProvider::issuer)
                                    .isEqualTo(metadata.issuer());
                        });
                assertThat(metadata.fetches()).isEqualTo(1);
            }
        }

        @Test
        @DisplayName("An issuer of CareChat's own other than Spring Security's is never paired with Spring Security's JWKS URL")
        void ownIssuerDiscoversItsOwnKeys() throws IOException {
            try (LoopbackMetadata metadata = LoopbackMetadata.start(null)) {
                new ApplicationContextRunner()
                        .withConfiguration(CARECHAT)
                        .withUserConfiguration(Database.class)
                        .withPropertyValues(KEYS, "carechat.identity.issuer=" + metadata.issuer(),
                                "spring.security.oauth2.resourceserver.jwt.issuer-uri=https://login.example/tenant/v2.0",
                                "spring.security.oauth2.resourceserver.jwt.jwk-set-uri=https://login.example/tenant/keys")
                        .run(context -> assertThat(context).hasNotFailed());
                assertThat(metadata.fetches()).as("the own issuer's metadata was read").isEqualTo(1);
            }
        }

        @Test
        @DisplayName("Metadata naming another issuer fails start-up, naming the setting that avoids discovery")
        void metadataOfAnotherIssuerIsRefused() throws IOException {
            try (LoopbackMetadata metadata = LoopbackMetadata.start("https://elsewhere.example")) {
                new ApplicationContextRunner()
                        .withConfiguration(CARECHAT)
                        .withUserConfiguration(Database.class)
                        .withPropertyValues(KEYS, "carechat.identity.issuer=" + metadata.issuer())
                        .run(context -> assertThat(context).getFailure().rootCause()
                                .hasMessageContaining("names another issuer")
                                .hasMessageContaining("carechat.identity.jwks-url"));
            }
        }

        @Test
        @DisplayName("Without an issuer anywhere, start-up fails naming the settings to set")
        void missingIdentityFailsClearly() {
            new ApplicationContextRunner()
                    .withConfiguration(CARECHAT)
                    .withUserConfiguration(Database.class)
                    .withPropertyValues(KEYS)
                    .run(context -> assertThat(context).getFailure().rootCause()
                            .hasMessageContaining("carechat.identity.issuer")
                            .hasMessageContaining("spring.security.oauth2.resourceserver.jwt.jwk-set-uri"));
        }

        @Test
        @DisplayName("A malformed key list fails start-up without echoing key material")
        void badKeysFailWithoutEchoingThem() {
            runner.withPropertyValues("carechat.encryption.keys=k1:c2VjcmV0LXRvby1zaG9ydA==")
                    .run(context -> assertThat(context).getFailure().rootCause()
                            .hasMessageNotContaining("c2VjcmV0LXRvby1zaG9ydA"));
        }
    }

    @Nested
    @DisplayName("An application's own beans win")
    class BackOff {

        @Test
        @DisplayName("Its own token verifier and event bus are used, and the hub is built on them")
        void ownVerifierAndBus() {
            runner.withUserConfiguration(OwnVerifierAndBus.class).run(context -> {
                assertThat(context).hasSingleBean(TokenVerifier.class).hasSingleBean(EventBus.class);
                assertThat(context.getBean(TokenVerifier.class)).isSameAs(context.getBean("ownVerifier"));
                assertThat(context.getBean(EventBus.class)).isSameAs(context.getBean("ownBus"));
                assertThat(context).hasSingleBean(Hub.class);
            });
        }

        @Test
        @DisplayName("Its own Messaging replaces the starter's")
        void ownMessaging() {
            runner.withUserConfiguration(OwnMessaging.class).run(context -> {
                assertThat(context).hasSingleBean(Messaging.class);
                assertThat(context.getBean(Messaging.class)).isSameAs(context.getBean("ownMessaging"));
            });
        }

        @Test
        @DisplayName("Without a data source, CareChat configures nothing")
        void noDataSourceNoCareChat() {
            new ApplicationContextRunner().withConfiguration(CARECHAT).withPropertyValues(KEYS)
                    .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(Messaging.class)
                            .doesNotHaveBean(Hub.class));
        }
    }

    @Nested
    @DisplayName("In a servlet web application")
    class Web {

        private final WebApplicationContextRunner web = new WebApplicationContextRunner()
                .withConfiguration(CARECHAT)
                .withUserConfiguration(Database.class)
                .withPropertyValues(KEYS,
                        "carechat.identity.issuer=https://sso.hospital.example/realms/hospital",
                        "carechat.identity.jwks-url=https://sso.hospital.example/realms/hospital/keys");

        @Test
        @DisplayName("The upgrade servlet is registered at the configured path with the allowed origins")
        void socketIsMounted() {
            web.withPropertyValues("carechat.websocket.path=/chat",
                            "carechat.websocket.allowed-origins=https://portal.hospital.example")
                    .run(context -> {
                        assertThat(context).hasSingleBean(CareChatEndpointConfig.class).hasSingleBean(EndpointDrain.class);
                        assertThat(context.getBean(CareChatEndpointConfig.class).path()).isEqualTo("/chat");
                        @SuppressWarnings("unchecked")
                        ServletRegistrationBean<Servlet> registration =
                                context.getBean("carechatUpgradeServlet", ServletRegistrationBean.class);
                        assertThat(registration.getUrlMappings()).containsExactly("/chat");
                        assertThat(registration.getServlet()).isNotNull();
                    });
        }

        @Test
        @DisplayName("carechat.websocket.enabled=false mounts no socket")
        void socketCanBeTurnedOff() {
            web.withPropertyValues("carechat.websocket.enabled=false")
                    .run(context -> assertThat(context).hasSingleBean(Hub.class)
                            .doesNotHaveBean(CareChatEndpointConfig.class));
        }
    }

    /**
     * An issuer's OpenID Connect metadata on loopback, naming the issuer it is served for (or
     * another, for the refusal), with its JWKS URL; the fetches are counted.
     */
    static final class LoopbackMetadata implements AutoCloseable {
        private final HttpServer server;
        private final AtomicInteger fetches = new AtomicInteger();

        private LoopbackMetadata(HttpServer server) {
            this.server = server;
        }

        static LoopbackMetadata start(String namedIssuer) throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            LoopbackMetadata metadata = new LoopbackMetadata(server);
            server.createContext("/realms/hospital/.well-known/openid-configuration", exchange -> {
                metadata.fetches.incrementAndGet();
                String issuer = namedIssuer == null ? metadata.issuer() : namedIssuer;
                byte[] body = ("{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + metadata.issuer()
                        + "/protocol/openid-connect/certs\"}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return metadata;
        }

        String issuer() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/hospital";
        }

        int fetches() {
            return fetches.get();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /** An in-memory H2 database of its own per context, as the application's data source. */
    @Configuration(proxyBeanMethods = false)
    static class Database {
        @Bean
        DataSource dataSource() {
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
            h2.setUser("sa");
            return h2;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnVerifierAndBus {
        @Bean
        TokenVerifier ownVerifier() {
            return token -> new VerifiedToken(Caller.of(UserId.of("someone"), Set.of(Role.PATIENT)), Instant.MAX);
        }

        @Bean
        EventBus ownBus() {
            return new InMemoryEventBus();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnMessaging {
        @Bean
        Messaging ownMessaging(JdbcStorage storage, TokenSettings tokens) {
            return Messaging.builder().storage(storage).eventBus(new InMemoryEventBus())
                    .auditSink(storage.auditTrail()).tokens(tokens)
                    .keyProvider(io.carechat.messaging.crypto.StaticKeyProvider.generate("own"))
                    .build();
        }
    }
}
