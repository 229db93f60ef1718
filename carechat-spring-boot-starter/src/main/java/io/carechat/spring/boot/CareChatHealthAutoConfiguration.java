package io.carechat.spring.boot;

import io.carechat.messaging.hub.Hub;
import io.carechat.messaging.jdbc.JdbcStorage;
import io.carechat.messaging.jdbc.PostgresEventBus;
import io.carechat.messaging.spi.EventBus;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Health contributors for Actuator, when it is present: {@code carechatStorage} (the database
 * answers), {@code carechatEventBus} (on PostgreSQL, the bus's listener connection is listening),
 * {@code carechatAuditWriter} (the group-commit writer that stores every send and audit event
 * runs) and {@code carechatHub} (open sessions, as a detail). When Actuator's probes are on, the
 * first three join the {@code readiness} group ({@code /actuator/health/readiness}), never
 * {@code liveness}: a database outage takes the node out of the load balancer, not off its feet.
 * Off with {@code management.health.carechat.enabled=false}. Each indicator is stateless.
 */
@AutoConfiguration(after = {CareChatAutoConfiguration.class, CareChatWebSocketAutoConfiguration.class},
        afterName = "org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration")
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(Hub.class)
@ConditionalOnEnabledHealthIndicator("carechat")
public class CareChatHealthAutoConfiguration {

    /**
     * Up when the database answers.
     *
     * @param storage CareChat's storage, so this exists only with it
     * @param dataSource the database
     * @return the indicator
     */
    @Bean
    @ConditionalOnMissingBean(name = "carechatStorageHealthIndicator")
    public HealthIndicator carechatStorageHealthIndicator(JdbcStorage storage, DataSource dataSource) {
        return () -> {
            try (Connection connection = dataSource.getConnection()) {
                return connection.isValid(2) ? Health.up().build()
                        : Health.down().withDetail("reason", "connection not valid").build();
            } catch (SQLException e) {
                return Health.down().withDetail("reason", e.getClass().getSimpleName()).build();
            }
        };
    }

    /**
     * Up while the PostgreSQL bus listens (an in-memory bus is always up).
     *
     * @param bus the event bus
     * @return the indicator
     */
    @Bean
    @ConditionalOnMissingBean(name = "carechatEventBusHealthIndicator")
    public HealthIndicator carechatEventBusHealthIndicator(EventBus bus) {
        return () -> {
            if (bus instanceof PostgresEventBus postgres) {
                return (postgres.isListening() ? Health.up() : Health.down())
                        .withDetail("kind", "postgresql").withDetail("node", postgres.nodeId()).build();
            }
            return Health.up().withDetail("kind", bus.getClass().getSimpleName()).build();
        };
    }

    /**
     * Up while the group-commit writer, which writes every send and audit event, runs.
     *
     * @param storage CareChat's storage
     * @return the indicator
     */
    @Bean
    @ConditionalOnMissingBean(name = "carechatAuditWriterHealthIndicator")
    public HealthIndicator carechatAuditWriterHealthIndicator(JdbcStorage storage) {
        return () -> (storage.isWriterRunning() ? Health.up() : Health.down()).build();
    }

    /**
     * Adds the storage, event bus and audit writer checks to Actuator's {@code readiness} group
     * when probes are on; runs after Boot's own post-processor that makes that group.
     *
     * @return the post-processor
     */
    @Bean
    public static HealthEndpointGroupsPostProcessor carechatReadinessGroup() {
        return new CareChatReadinessGroup();
    }

    /**
     * Up, with the hub's open sessions.
     *
     * @param hub the hub
     * @return the indicator
     */
    @Bean
    @ConditionalOnMissingBean(name = "carechatHubHealthIndicator")
    public HealthIndicator carechatHubHealthIndicator(Hub hub) {
        return () -> Health.up().withDetail("openSessions", hub.openSessions()).build();
    }
}
