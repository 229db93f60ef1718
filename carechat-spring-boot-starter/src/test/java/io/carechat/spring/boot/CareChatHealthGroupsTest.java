package io.carechat.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.jdbc.JdbcStorage;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.application.AvailabilityHealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@DisplayName("With Actuator's probes on, readiness holds CareChat's storage, bus and audit writer; liveness does not")
class CareChatHealthGroupsTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ApplicationAvailabilityAutoConfiguration.class,
                    AvailabilityHealthContributorAutoConfiguration.class, AvailabilityProbesAutoConfiguration.class,
                    HealthContributorRegistryAutoConfiguration.class, HealthEndpointAutoConfiguration.class,
                    CareChatAutoConfiguration.class,
                    CareChatWebSocketAutoConfiguration.class, CareChatHealthAutoConfiguration.class))
            .withUserConfiguration(Database.class)
            // the health endpoint exists only where it is exposed: over JMX here, as no web server runs
            .withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=health",
                    "carechat.encryption.keys=k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
                    "carechat.identity.issuer=https://sso.hospital.example/realms/hospital",
                    "carechat.identity.jwks-url=https://sso.hospital.example/realms/hospital/protocol/openid-connect/certs");

    @Test
    @DisplayName("the readiness group includes carechatStorage, carechatEventBus and carechatAuditWriter;"
            + " liveness includes none of them")
    void readinessHoldsCareChat() {
        runner.withPropertyValues("management.endpoint.health.probes.enabled=true").run(context -> {
            assertThat(context).hasNotFailed();
            HealthEndpointGroups groups = context.getBean(HealthEndpointGroups.class);
            HealthEndpointGroup readiness = groups.get("readiness");
            HealthEndpointGroup liveness = groups.get("liveness");
            assertThat(readiness).isNotNull();
            assertThat(liveness).isNotNull();
            for (String member : CareChatReadinessGroup.MEMBERS) {
                assertThat(readiness.isMember(member)).as("readiness holds %s", member).isTrue();
                assertThat(liveness.isMember(member)).as("liveness holds %s", member).isFalse();
            }
            assertThat(readiness.isMember("readinessState")).as("Boot's own readiness state stays").isTrue();
            assertThat(liveness.isMember("livenessState")).isTrue();
            assertThat(context.getBean("carechatAuditWriterHealthIndicator", HealthIndicator.class).health(true)
                    .getStatus()).isEqualTo(Status.UP);
        });
    }

    @Test
    @DisplayName("the audit writer check is down once the storage's writer stopped")
    void auditWriterDownWhenStopped() {
        runner.run(context -> {
            context.getBean(JdbcStorage.class).close();
            assertThat(context.getBean("carechatAuditWriterHealthIndicator", HealthIndicator.class).health(true)
                    .getStatus()).isEqualTo(Status.DOWN);
        });
    }

    @Test
    @DisplayName("with probes turned off there is no readiness group to add to, and the context starts")
    void noProbes() {
        runner.withPropertyValues("management.endpoint.health.probes.enabled=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(HealthEndpointGroups.class).get("readiness")).isNull();
        });
    }

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
}
