package io.carechat.messaging.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.error.ConfigurationException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
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

    @Test
    @DisplayName("a database JdbcStorage has no dialect for is refused with a configuration error, before its schema is touched")
    void unsupportedDatabaseIsRefused() {
        try (H2TestDatabase database = H2TestDatabase.inMemory()) {
            DataSource oracle = new ForwardingDataSource() {
                @Override
                protected DataSource delegate() {
                    return database.dataSource();
                }

                @Override
                public Connection getConnection() throws SQLException {
                    return reportingProduct(super.getConnection(), "Oracle");
                }
            };

            assertThatThrownBy(() -> JdbcStorage.builder(oracle).build())
                    .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems())
                            .singleElement().asString().contains("Oracle").contains("not supported"));
            assertThat(SchemaAssertions.historyTableExists(database.dataSource(), "")).isFalse();
        }
    }

    /** The connection, but its metadata names another database product. */
    private static Connection reportingProduct(Connection connection, String productName) throws SQLException {
        DatabaseMetaData real = connection.getMetaData();
        DatabaseMetaData metaData = (DatabaseMetaData) Proxy.newProxyInstance(
                JdbcStorageBuilderTest.class.getClassLoader(), new Class<?>[] {DatabaseMetaData.class},
                (proxy, method, args) -> method.getName().equals("getDatabaseProductName")
                        ? productName : invoke(method, real, args));
        return (Connection) Proxy.newProxyInstance(JdbcStorageBuilderTest.class.getClassLoader(),
                new Class<?>[] {Connection.class},
                (proxy, method, args) -> method.getName().equals("getMetaData")
                        ? metaData : invoke(method, connection, args));
    }

    private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
