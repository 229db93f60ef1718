package io.carechat.messaging.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.error.ConfigurationException;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("JdbcStorage.Builder")
class JdbcStorageBuilderTest {

    @Test
    @DisplayName("build reports every configuration problem at once, before touching the database")
    void reportsEveryProblemAtOnce() {
        try (H2TestDatabase database = H2TestDatabase.inMemory()) {
            assertThatThrownBy(() -> JdbcStorage.builder(database.dataSource())
                            .tablePrefix("Bad-Prefix")
                            .groupCommit(0, Duration.ofMillis(-1))
                            .queryTimeout(Duration.ZERO)
                            .appendTimeout(Duration.ofSeconds(-1))
                            .build())
                    .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems())
                            .hasSize(5)
                            .anySatisfy(p -> assertThat(p).contains("tablePrefix"))
                            .anySatisfy(p -> assertThat(p).contains("maxBatch"))
                            .anySatisfy(p -> assertThat(p).contains("maxWait"))
                            .anySatisfy(p -> assertThat(p).contains("queryTimeout"))
                            .anySatisfy(p -> assertThat(p).contains("appendTimeout")));
            assertThat(SchemaAssertions.historyTableExists(database.dataSource(), "")).isFalse();
        }
    }

    @Test
    @DisplayName("a valid configuration builds storage and migrates the schema")
    void validConfigurationBuilds() {
        try (H2TestDatabase database = H2TestDatabase.inMemory();
                JdbcStorage storage = JdbcStorage.builder(database.dataSource())
                        .tablePrefix("cc_")
                        .groupCommit(16, Duration.ofMillis(2))
                        .queryTimeout(Duration.ofSeconds(3))
                        .appendTimeout(Duration.ofSeconds(5))
                        .build()) {
            assertThat(storage.users().count()).isZero();
            assertThat(SchemaAssertions.historyTableExists(database.dataSource(), "cc_")).isTrue();
        }
    }
}
