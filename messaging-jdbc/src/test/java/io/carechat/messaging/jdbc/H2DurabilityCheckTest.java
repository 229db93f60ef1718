package io.carechat.messaging.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.jdbc.internal.H2Durability;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The check behind {@link JdbcStorage.Builder#build()}'s warning: an H2 file database whose
 * commits return before they are written (a {@code WRITE_DELAY} other than 0) is found, a durable
 * one and an in-memory one are not.
 */
class H2DurabilityCheckTest {

    @TempDir
    Path dir;

    @Test
    @DisplayName("an H2 file URL without WRITE_DELAY=0 is lazy, with it is not, and a reopened file needs it again")
    void findsLazyH2Commits() throws Exception {
        String file = "jdbc:h2:file:" + dir.resolve("durability").toAbsolutePath();
        try (Connection durable = DriverManager.getConnection(file + ";WRITE_DELAY=0", "sa", "")) {
            assertThat(H2Durability.lazyH2File(durable)).isEmpty();
        }
        try (Connection lazy = DriverManager.getConnection(file, "sa", "")) {
            assertThat(H2Durability.lazyH2File(lazy)).as("the setting is not kept in the file").isPresent();
        }
        try (Connection delayed = DriverManager.getConnection(file + ";WRITE_DELAY=100", "sa", "")) {
            assertThat(H2Durability.lazyH2File(delayed)).isPresent();
        }
    }

    @Test
    @DisplayName("an in-memory H2 database keeps nothing anyway and is not reported")
    void inMemoryIsNotReported() throws Exception {
        try (Connection memory = DriverManager.getConnection("jdbc:h2:mem:durability-check", "sa", "")) {
            assertThat(H2Durability.lazyH2File(memory)).isEmpty();
        }
    }
}
