package io.carechat.messaging.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.error.ConfigurationException;
import io.carechat.messaging.memory.InMemoryStorage;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("PostgresEventBus builder")
class PostgresEventBusBuilderTest {
    private final DataSource unused = new JdbcDataSource();

    @Test
    @DisplayName("refuses a bad configuration, reporting every problem at once, before connecting")
    void reportsEveryProblem() {
        assertThatThrownBy(() -> PostgresEventBus.builder(unused, new InMemoryStorage())
                        .channel("Events; DROP TABLE x")
                        .tablePrefix("9bad")
                        .nodeId("node one")
                        .pollInterval(Duration.ZERO)
                        .reconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1))
                        .maxQueuedEvents(0)
                        .build())
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.getMessage())
                        .contains("listenerConnections", "tablePrefix", "channel", "nodeId", "pollInterval",
                                "reconnectBackoff", "maxQueuedEvents"));
    }

    @Test
    @DisplayName("a channel longer than PostgreSQL's 63-character identifiers, with the prefix, is refused")
    void channelLength() {
        assertThatThrownBy(() -> PostgresEventBus.builder(unused, new InMemoryStorage())
                        .listenerConnections(() -> {
                            throw new SQLException("never called");
                        })
                        .tablePrefix("cc_")
                        .channel("e".repeat(61))
                        .build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("channel");
    }
}
