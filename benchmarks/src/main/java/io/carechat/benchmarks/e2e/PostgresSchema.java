package io.carechat.benchmarks.e2e;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A fresh, empty schema in a PostgreSQL database, so each run starts from nothing and leaves
 * nothing behind: created on {@link #create}, dropped with everything in it on {@link #close()}.
 * Thread-safe. Lifecycle: create, use {@link #url()}, close once.
 */
final class PostgresSchema implements AutoCloseable {
    private final String baseUrl;
    private final String name;

    private PostgresSchema(String baseUrl, String name) {
        this.baseUrl = baseUrl;
        this.name = name;
    }

    /**
     * Checks that the database answers.
     *
     * @param url a JDBC URL such as {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}
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

    /** Creates a schema with a random name in the database at {@code url}. */
    static PostgresSchema create(String url) throws SQLException {
        String name = "carechat_e2e_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + name);
        }
        return new PostgresSchema(url, name);
    }

    /** @return the database URL with this schema as the current one */
    String url() {
        return baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + name;
    }

    @Override
    public void close() {
        try (Connection c = DriverManager.getConnection(baseUrl); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
        } catch (SQLException e) {
            System.err.println("could not drop benchmark schema " + name + ": " + e.getMessage());
        }
    }
}
