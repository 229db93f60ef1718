package io.carechat.messaging.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.error.ConfigurationException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.time.Instant;
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
            "PostgreSQL", Dialect.forProductName("PostgreSQL").orElseThrow());

    @Test
    @DisplayName("the dialect is chosen by the product name the driver reports, H2 and PostgreSQL only")
    void choosesByProductName() {
        assertThat(DIALECTS.get("H2")).isInstanceOf(H2Dialect.class);
        assertThat(DIALECTS.get("PostgreSQL")).isInstanceOf(PostgresDialect.class);
        assertThat(Dialect.forProductName("MySQL")).isEmpty();
        assertThat(Dialect.forProductName("postgresql")).isEmpty();
        assertThat(Dialect.forProductName(null)).isEmpty();
    }

    @Test
    @DisplayName("a connection to a database CareChat does not support is refused, naming it and the supported ones")
    void refusesAnUnsupportedDatabase() {
        assertThatThrownBy(() -> Dialect.of(connectionTo("Oracle")))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems())
                        .singleElement().asString().contains("Oracle").contains("H2 and PostgreSQL"));
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
        "PostgreSQL, 22001, false, false, false"
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
    @DisplayName("both databases keep times to the microsecond, bound in UTC")
    void timesToTheMicrosecondInUtc() {
        Instant written = Instant.parse("2026-01-05T08:00:00.123456789Z");
        for (Dialect dialect : DIALECTS.values()) {
            assertThat(dialect.truncate(written)).isEqualTo(Instant.parse("2026-01-05T08:00:00.123456Z"));
            assertThat(dialect.timestamp(written).getOffset()).isEqualTo(ZoneOffset.UTC);
            assertThat(dialect.timestamp(written).toInstant()).isEqualTo(dialect.truncate(written));
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
