package io.carechat.messaging.jdbc;

import static org.junit.jupiter.api.Assertions.fail;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh schema on the PostgreSQL server named by {@code CARECHAT_TEST_POSTGRES_URL}, owned by a
 * role made for this test, with a small HikariCP pool that logs in as that role and works in that
 * schema. Closing drops the schema and the role. When the variable is unset the test is skipped,
 * unless {@code CARECHAT_REQUIRE_POSTGRES=1}, which makes it fail instead.
 *
 * <p>Stopping the database for this test only: {@link #stop()} forbids the role to log in and ends
 * its sessions; {@link #restart()} allows it again. Not thread-safe to open and close; the pool is.
 */
final class PostgresTestDatabase implements TestDatabase {
    static final String URL_VARIABLE = "CARECHAT_TEST_POSTGRES_URL";
    static final String REQUIRE_VARIABLE = "CARECHAT_REQUIRE_POSTGRES";
    private static final String SKIPPED = "PostgreSQL tests skipped: ";

    private final String adminUrl;
    private final String name;
    private final HikariDataSource pool;

    private PostgresTestDatabase(String adminUrl) throws SQLException {
        this.adminUrl = adminUrl;
        this.name = "cc_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        admin("CREATE ROLE " + name + " LOGIN");
        admin("CREATE SCHEMA " + name + " AUTHORIZATION " + name);
        this.pool = openPool(2);
    }

    /**
     * Makes a fresh schema, or skips (or fails) the calling test when no server is configured.
     *
     * @return the database
     */
    static PostgresTestDatabase create() {
        Optional<String> missing = notConfigured();
        if (missing.isPresent()) {
            if (required()) {
                fail("PostgreSQL tests are required by " + REQUIRE_VARIABLE + "=1 but " + missing.get());
            }
            Assumptions.abort(SKIPPED + missing.get());
        }
        try {
            return new PostgresTestDatabase(System.getenv(URL_VARIABLE));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare a PostgreSQL test schema", e);
        }
    }

    /**
     * Why the PostgreSQL tests are skipped here, or empty when they run: when no server is
     * configured and {@code CARECHAT_REQUIRE_POSTGRES=1} is not set.
     *
     * @return the reason to show for each skipped test
     */
    static Optional<String> skipReason() {
        return required() ? Optional.empty() : notConfigured().map(why -> SKIPPED + why);
    }

    private static Optional<String> notConfigured() {
        String url = System.getenv(URL_VARIABLE);
        return url == null || url.isBlank()
                ? Optional.of(URL_VARIABLE + " is not set (e.g. jdbc:postgresql://127.0.0.1:5432/test?user=postgres)")
                : Optional.empty();
    }

    private static boolean required() {
        return "1".equals(System.getenv(REQUIRE_VARIABLE));
    }

    /** The test's pool. */
    @Override
    public DataSource dataSource() {
        return pool;
    }

    /**
     * Another pool on the same schema, as a second node would have. The caller closes it.
     *
     * @param size its maximum size
     * @return the pool
     */
    @Override
    public HikariDataSource openPool(int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(urlAs(adminUrl, name));
        config.setSchema(name);
        config.setMaximumPoolSize(size);
        config.setConnectionTimeout(2_000);
        config.setPoolName(name);
        config.addDataSourceProperty("socketTimeout", "30");
        return new HikariDataSource(config);
    }

    /** The JDBC URL that logs in as the test's role. */
    String url() {
        return urlAs(adminUrl, name);
    }

    /**
     * A new connection outside the pool, as the test's role, such as an event bus's listener
     * connection. The caller closes it.
     *
     * @return the connection
     * @throws SQLException if the server refuses it
     */
    Connection connect() throws SQLException {
        return DriverManager.getConnection(url());
    }

    /** Ends one backend of the server, as a failed network link would end that connection. */
    void terminateBackend(int pid) throws SQLException {
        try (Connection c = DriverManager.getConnection(adminUrl);
                PreparedStatement s = c.prepareStatement("SELECT pg_terminate_backend(?)")) {
            s.setInt(1, pid);
            s.execute();
        }
    }

    /** Forbids the test's role to log in and ends its sessions: the database is gone for this test. */
    @Override
    public void stop() throws SQLException {
        admin("ALTER ROLE " + name + " NOLOGIN");
        terminateSessions();
    }

    /** Lets the test's role log in again. */
    @Override
    public void restart() throws SQLException {
        admin("ALTER ROLE " + name + " LOGIN");
    }

    /** Ends every session of the test's role, as a server restart would. */
    void terminateSessions() throws SQLException {
        try (Connection c = DriverManager.getConnection(adminUrl);
                PreparedStatement s = c.prepareStatement(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = ?")) {
            s.setString(1, name);
            s.execute();
        }
    }

    @Override
    public int activeConnections() {
        return pool.getHikariPoolMXBean().getActiveConnections();
    }

    @Override
    public void close() {
        pool.close();
        try {
            terminateSessions();
            admin("DROP SCHEMA " + name + " CASCADE");
            admin("DROP ROLE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop the PostgreSQL test schema " + name, e);
        }
    }

    private void admin(String ddl) throws SQLException {
        try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
            s.execute(ddl);
        }
    }

    /** The URL with its {@code user} parameter replaced. */
    private static String urlAs(String url, String user) {
        int query = url.indexOf('?');
        String base = query < 0 ? url : url.substring(0, query);
        StringBuilder params = new StringBuilder("user=").append(user);
        if (query >= 0) {
            for (String param : url.substring(query + 1).split("&")) {
                if (!param.isEmpty() && !param.startsWith("user=") && !param.startsWith("password=")) {
                    params.append('&').append(param);
                }
            }
        }
        return base + "?" + params;
    }
}
