package io.carechat.messaging.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.error.ConfigurationException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The choice of a dialect and each dialect's reading of SQL states, without a database; the
 * dialects on real databases are checked by {@code DialectOnEachDatabaseTest}.
 */
@DisplayName("Dialect")
class DialectTest {
    private static final Map<String, Dialect> DIALECTS = Map.of(
            "H2", Dialect.forProductName("H2").orElseThrow(),
            "PostgreSQL", Dialect.forProductName("PostgreSQL").orElseThrow(),
            "MariaDB", Dialect.forProductName("MariaDB").orElseThrow());

    @Test
    @DisplayName("the dialect is chosen by the product name the driver reports: H2, PostgreSQL, MariaDB and MySQL")
    void choosesByProductName() {
        assertThat(DIALECTS.get("H2")).isInstanceOf(H2Dialect.class);
        assertThat(DIALECTS.get("PostgreSQL")).isInstanceOf(PostgresDialect.class);
        assertThat(DIALECTS.get("MariaDB")).isInstanceOf(MariaDbDialect.class);
        assertThat(Dialect.forProductName("MySQL")).containsInstanceOf(MariaDbDialect.class);
        assertThat(Dialect.forProductName("Microsoft SQL Server")).isEmpty();
        assertThat(Dialect.forProductName("mariadb")).isEmpty();
        assertThat(Dialect.forProductName("postgresql")).isEmpty();
        assertThat(Dialect.forProductName(null)).isEmpty();
    }

    @Test
    @DisplayName("a connection to a database CareChat does not support is refused, naming it and the supported ones")
    void refusesAnUnsupportedDatabase() {
        assertThatThrownBy(() -> Dialect.of(connectionTo("Oracle")))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems())
                        .singleElement().asString().contains("Oracle").contains("H2, PostgreSQL and MariaDB"));
    }

    @ParameterizedTest(name = "{0} reads {1} as unique violation {2}, foreign key violation {3}, race {4}")
    @CsvSource({
        "H2,         23505, true,  false, true",
        "H2,         23503, false, true,  false",
        "H2,         23506, false, true,  false",
        "H2,         40001, false, false, true",
        "H2,         08006, false, false, false",
        "H2,         22001, false, false, false",
        "PostgreSQL, 23505, true,  false, true",
        "PostgreSQL, 23503, false, true,  false",
        "PostgreSQL, 40001, false, false, true",
        "PostgreSQL, 40P01, false, false, true",
        "PostgreSQL, 08006, false, false, false",
        "PostgreSQL, 22001, false, false, false",
        "MariaDB,    23000, false, false, false",
        "MariaDB,    40001, false, false, false"
    })
    @DisplayName("each dialect tells its database's violations and lost races by SQL state, also deep in the causes")
    void classifiesByState(String product, String state, boolean unique, boolean foreignKey, boolean race) {
        Dialect dialect = DIALECTS.get(product);
        RuntimeException failure = new IllegalStateException("as Jdbi wraps it",
                new RuntimeException(new SQLException("from the driver", state)));

        assertThat(dialect.isUniqueViolation(failure)).as("unique violation").isEqualTo(unique);
        assertThat(dialect.isForeignKeyViolation(failure)).as("foreign key violation").isEqualTo(foreignKey);
        assertThat(dialect.isRetryableRace(failure)).as("race worth a rerun").isEqualTo(race);
    }

    @ParameterizedTest(name = "MariaDB reads error {0} as unique violation {1}, foreign key violation {2}, race {3}")
    @CsvSource({
        "1062, true,  false, true",
        "1586, true,  false, true",
        "1451, false, true,  false",
        "1452, false, true,  false",
        "1213, false, false, true",
        "1205, false, false, false",
        "1406, false, false, false"
    })
    @DisplayName("MariaDB tells violations and lost races by the server's error code, since all violations are 23000")
    void mariaDbClassifiesByErrorCode(int code, boolean unique, boolean foreignKey, boolean race) {
        Dialect dialect = DIALECTS.get("MariaDB");
        String state = code == 1213 ? "40001" : code == 1205 ? "HY000" : code == 1406 ? "22001" : "23000";
        RuntimeException failure = new IllegalStateException("as Jdbi wraps it",
                new RuntimeException(new SQLException("from the driver", state, code)));

        assertThat(dialect.isUniqueViolation(failure)).as("unique violation").isEqualTo(unique);
        assertThat(dialect.isForeignKeyViolation(failure)).as("foreign key violation").isEqualTo(foreignKey);
        assertThat(dialect.isRetryableRace(failure)).as("race worth a rerun").isEqualTo(race);
    }

    @Test
    @DisplayName("MariaDB binds a set as one parameter per value, rounded up to a power of two by repeating the last")
    void mariaDbSetsHaveFewShapes() {
        Dialect dialect = DIALECTS.get("MariaDB");
        assertThat(dialect.anyOf("id", 1)).isEqualTo("id IN (?)");
        assertThat(dialect.anyOf("id", 3)).isEqualTo("id IN (?, ?, ?, ?)");
        assertThat(dialect.anyOf("id", 4)).isEqualTo("id IN (?, ?, ?, ?)");
        assertThat(dialect.rowsMatchingPairs("t", "m", "a", "b", 2))
                .isEqualTo("t m WHERE (m.a, m.b) IN ((?, ?), (?, ?))");
        assertThat(MariaDbDialect.shape(5)).isEqualTo(8);
        assertThat(MariaDbDialect.shape(64)).isEqualTo(64);
        assertThatThrownBy(() -> MariaDbDialect.shape(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("a failure without an SQL state is no violation and no race")
    void noStateIsNothing() {
        for (Dialect dialect : DIALECTS.values()) {
            for (Throwable failure : new Throwable[] {new SQLException("no state"), new IllegalStateException("no SQL")}) {
                assertThat(dialect.isUniqueViolation(failure)).isFalse();
                assertThat(dialect.isForeignKeyViolation(failure)).isFalse();
                assertThat(dialect.isRetryableRace(failure)).isFalse();
            }
        }
    }

    @Test
    @DisplayName("a value too long for its column is a data error on every database, which no dialect retries")
    void dataErrorsAreTheStandardClass() {
        SQLException tooLong = new SQLException("value too long", "22001");
        assertThat(StorageFailures.isDataError(new RuntimeException(tooLong))).isTrue();
        assertThat(StorageFailures.isDataError(new SQLException("duplicate", "23505"))).isFalse();
        assertThat(DIALECTS.values()).noneMatch(d -> d.isRetryableRace(tooLong));
    }

    @Test
    @DisplayName("every database keeps times to the microsecond, bound in UTC")
    void timesToTheMicrosecondInUtc() {
        Instant written = Instant.parse("2026-01-05T08:00:00.123456789Z");
        for (Dialect dialect : DIALECTS.values()) {
            assertThat(dialect.truncate(written)).isEqualTo(Instant.parse("2026-01-05T08:00:00.123456Z"));
            Object bound = dialect.timestamp(written);
            if (dialect instanceof MariaDbDialect) {
                assertThat(bound).as("DATETIME(6) in UTC").isEqualTo(LocalDateTime.parse("2026-01-05T08:00:00.123456"));
            } else {
                assertThat(bound).isInstanceOfSatisfying(OffsetDateTime.class, t -> {
                    assertThat(t.getOffset()).isEqualTo(ZoneOffset.UTC);
                    assertThat(t.toInstant()).isEqualTo(dialect.truncate(written));
                });
            }
            assertThat(dialect.nullableTimestamp(null)).isNull();
        }
    }

    /** A connection whose driver reports the given product name, and nothing else. */
    private static Connection connectionTo(String productName) {
        DatabaseMetaData metaData = (DatabaseMetaData) Proxy.newProxyInstance(DialectTest.class.getClassLoader(),
                new Class<?>[] {DatabaseMetaData.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getDatabaseProductName")) {
                        return productName;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return (Connection) Proxy.newProxyInstance(DialectTest.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getMetaData")) {
                        return metaData;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
