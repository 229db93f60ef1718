package io.carechat.benchmarks.history;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * A PostgreSQL database of its own for one history-size run, {@code carechat_history_<random>}, on
 * the server of a given URL: created on {@link #create}, dropped with all its rows on
 * {@link #close()}, so bulk loads never touch a database others use. Thread-safe. Lifecycle:
 * create, use {@link #dataSource()}, close once.
 */
final class HistoryDatabase implements AutoCloseable {
    private static final Pattern URL = Pattern.compile("(jdbc:postgresql://[^/?]+/)([^?]*)(\\?.*)?");

    private final String serverUrl;
    private final String name;
    private final HikariDataSource pool;

    private HistoryDatabase(String serverUrl, String name, HikariDataSource pool) {
        this.serverUrl = serverUrl;
        this.name = name;
        this.pool = pool;
    }

    /**
     * Creates a database with a random name next to the one {@code url} names.
     *
     * @param url a JDBC URL such as {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}
     * @return the new database, empty
     * @throws IllegalArgumentException if {@code url} is not a PostgreSQL JDBC URL
     * @throws SQLException if the server refuses
     */
    static HistoryDatabase create(String url) throws SQLException {
        Matcher m = URL.matcher(url);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL: jdbc:postgresql://host:port/database?...");
        }
        String name = "carechat_history_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(m.group(1) + name + (m.group(3) == null ? "" : m.group(3)));
        config.setMaximumPoolSize(8);
        config.setConnectionTimeout(10_000);
        return new HistoryDatabase(url, name, new HikariDataSource(config));
    }

    /**
     * Checks that a server answers.
     *
     * @param url a JDBC URL
     * @return null when reachable, else why not
     */
    static String unreachableReason(String url) {
        DriverManager.setLoginTimeout(5);
        try (Connection c = DriverManager.getConnection(url)) {
            return c.isValid(5) ? null : "the connection is not valid";
        } catch (SQLException e) {
            return e.getMessage();
        }
    }

    /** @return the database's name */
    String name() {
        return name;
    }

    /** @return the pool on the new database */
    DataSource dataSource() {
        return pool;
    }

    @Override
    public void close() {
        pool.close();
        try (Connection c = DriverManager.getConnection(serverUrl); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            System.err.println("could not drop benchmark database " + name + ": " + e.getMessage());
        }
    }
}
