package io.carechat.messaging.jdbc;

import static org.junit.jupiter.api.Assertions.fail;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh database on the MariaDB (or MySQL) server named by {@code CARECHAT_TEST_MARIADB_URL}
 * (default {@code jdbc:mariadb://127.0.0.1:3306/test?user=root&sslMode=disable}), with a user made for this test
 * that may use only that database, and a small HikariCP pool that logs in as that user. Closing
 * drops the database and the user. When the server does not answer, the test is skipped, unless
 * {@code CARECHAT_REQUIRE_MARIADB=1}, which makes it fail instead.
 *
 * <p>Stopping the database for this test only: {@link #stop()} locks the user's account and ends
 * its sessions; {@link #restart()} unlocks it. Not thread-safe to open and close; the pool is.
 */
final class MariaDbTestDatabase implements TestDatabase {
    static final String URL_VARIABLE = "CARECHAT_TEST_MARIADB_URL";
    static final String REQUIRE_VARIABLE = "CARECHAT_REQUIRE_MARIADB";
    /** Loopback without TLS: MariaDB Connector/J 4 asks for TLS unless told not to. */
    static final String DEFAULT_URL = "jdbc:mariadb://127.0.0.1:3306/test?user=root&sslMode=disable";
    private static final String SKIPPED = "MariaDB tests skipped: ";
    /** {@code jdbc:mariadb://host:port/database?options}. */
    private static final Pattern URL = Pattern.compile("(jdbc:(?:mariadb|mysql)://[^/?]+)(?:/([^?]*))?(?:\\?(.*))?");
    /** Whether the server answered, asked once per test run. */
    private static volatile Optional<String> unreachable;

    private final String adminUrl;
    private final String name;
    private final HikariDataSource pool;

    private MariaDbTestDatabase(String adminUrl) throws SQLException {
        this.adminUrl = adminUrl;
        this.name = "cc_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        admin("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        admin("CREATE USER '" + name + "'@'%'");
        admin("GRANT ALL PRIVILEGES ON " + name + ".* TO '" + name + "'@'%'");
        this.pool = openPool(2);
    }

    /**
     * Makes a fresh database, or skips (or fails) the calling test when the server does not answer.
     *
     * @return the database
     */
    static MariaDbTestDatabase create() {
        Optional<String> missing = unreachable();
        if (missing.isPresent()) {
            if (required()) {
                fail("MariaDB tests are required by " + REQUIRE_VARIABLE + "=1 but " + missing.get());
            }
            Assumptions.abort(SKIPPED + missing.get());
        }
        try {
            return new MariaDbTestDatabase(adminUrl());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare a MariaDB test database", e);
        }
    }

    /**
     * Why the MariaDB tests are skipped here, or empty when they run: when the server does not
     * answer and {@code CARECHAT_REQUIRE_MARIADB=1} is not set.
     *
     * @return the reason to show for each skipped test
     */
    static Optional<String> skipReason() {
        return required() ? Optional.empty() : unreachable().map(why -> SKIPPED + why);
    }

    private static String adminUrl() {
        String url = System.getenv(URL_VARIABLE);
        return url == null || url.isBlank() ? DEFAULT_URL : url;
    }

    private static Optional<String> unreachable() {
        Optional<String> known = unreachable;
        if (known == null) {
            try (Connection c = DriverManager.getConnection(withOptions(adminUrl(), List.of("connectTimeout=2000")))) {
                known = c.isValid(2) ? Optional.empty() : Optional.of("the server at " + URL_VARIABLE + " does not answer");
            } catch (SQLException e) {
                known = Optional.of("no MariaDB server answers at " + URL_VARIABLE + " (or the default "
                        + DEFAULT_URL + "): " + e.getMessage());
            }
            unreachable = known;
        }
        return known;
    }

    private static boolean required() {
        return "1".equals(System.getenv(REQUIRE_VARIABLE));
    }

    /** The admin URL with other options added. */
    private static String withOptions(String url, List<String> options) {
        Matcher m = matching(url);
        List<String> all = new ArrayList<>(options(m));
        all.addAll(options);
        return m.group(1) + "/" + (m.group(2) == null ? "" : m.group(2)) + "?" + String.join("&", all);
    }

    private static Matcher matching(String url) {
        Matcher m = URL.matcher(url);
        if (!m.matches()) {
            throw new IllegalStateException(URL_VARIABLE + " is not a jdbc:mariadb:// or jdbc:mysql:// URL");
        }
        return m;
    }

    private static List<String> options(Matcher m) {
        return m.group(3) == null ? List.of() : Stream.of(m.group(3).split("&")).filter(o -> !o.isBlank()).toList();
    }

    /** The JDBC URL that logs in as the test's user, to the test's database. */
    String url() {
        Matcher m = matching(adminUrl);
        String options = Stream.concat(
                        options(m).stream().filter(o -> !o.startsWith("user=") && !o.startsWith("password=")),
                        Stream.of("user=" + name))
                .collect(Collectors.joining("&"));
        return m.group(1) + "/" + name + "?" + options;
    }

    /** The test's pool. */
    @Override
    public DataSource dataSource() {
        return pool;
    }

    /**
     * Another pool on the same database, as a second node would have. The caller closes it.
     *
     * @param size its maximum size
     * @return the pool
     */
    @Override
    public HikariDataSource openPool(int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url());
        config.setMaximumPoolSize(size);
        config.setConnectionTimeout(2_000);
        config.setPoolName(name);
        config.addDataSourceProperty("socketTimeout", "30000");
        return new HikariDataSource(config);
    }

    /** Locks the test's user and ends its sessions: the database is gone for this test. */
    @Override
    public void stop() throws SQLException {
        admin("ALTER USER '" + name + "'@'%' ACCOUNT LOCK");
        terminateSessions();
    }

    /** Lets the test's user log in again. */
    @Override
    public void restart() throws SQLException {
        admin("ALTER USER '" + name + "'@'%' ACCOUNT UNLOCK");
    }

    /** Ends every session of the test's user, as a server restart would. */
    void terminateSessions() throws SQLException {
        try (Connection c = DriverManager.getConnection(adminUrl)) {
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT id FROM information_schema.processlist WHERE user = ?")) {
                s.setString(1, name);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
            }
            for (long id : ids) {
                try (Statement kill = c.createStatement()) {
                    kill.execute("KILL CONNECTION " + id);
                } catch (SQLException gone) {
                    // the session ended meanwhile
                }
            }
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
            admin("DROP DATABASE " + name);
            admin("DROP USER '" + name + "'@'%'");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop the MariaDB test database " + name, e);
        }
    }

    private void admin(String ddl) throws SQLException {
        try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
            s.execute(ddl);
        }
    }
}
