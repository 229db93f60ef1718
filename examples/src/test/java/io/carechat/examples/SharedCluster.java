package io.carechat.examples;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * What the demo nodes of a cluster test share: a database of the test's own (a schema on the
 * PostgreSQL server, a database on the MariaDB server) and what carries events between the nodes
 * (PostgreSQL's LISTEN/NOTIFY, or a NATS JetStream stream of the test's own). {@link #close()}
 * drops the schema or database and deletes the stream.
 *
 * <p>Each kind needs its services ({@code CARECHAT_TEST_POSTGRES_URL}, {@code
 * CARECHAT_TEST_MARIADB_URL}, {@link NatsServer}); {@link #create} skips the test with a message
 * when one is missing, unless {@code CARECHAT_REQUIRE_POSTGRES}, {@code CARECHAT_REQUIRE_MARIADB} or
 * {@code CARECHAT_REQUIRE_NATS} is 1, which makes it a failure (as in CI). Not thread-safe; one per
 * test.
 */
final class SharedCluster implements AutoCloseable {
    private static final String DEFAULT_MARIADB_URL = "jdbc:mariadb://127.0.0.1:3306/test?user=root&sslMode=disable";

    /** The database the nodes share and what carries events between them. */
    enum Kind {
        POSTGRES_NOTIFY, POSTGRES_NATS, MARIADB_NATS;

        boolean onNats() {
            return this != POSTGRES_NOTIFY;
        }
    }

    final Kind kind;
    /** A URL to the database server with rights to create and drop, outside the test's schema. */
    final String adminUrl;
    /** The URL the nodes use, to the test's own schema or database. */
    final String nodeUrl;
    /** The test's NATS stream, or null on LISTEN/NOTIFY. */
    final String natsStream;
    private final String name;

    private SharedCluster(Kind kind, String adminUrl, String nodeUrl, String natsStream, String name) {
        this.kind = kind;
        this.adminUrl = adminUrl;
        this.nodeUrl = nodeUrl;
        this.natsStream = natsStream;
        this.name = name;
    }

    /**
     * Creates the test's schema or database, named {@code prefix} and a random part, and names
     * its stream; or skips the test.
     */
    static SharedCluster create(Kind kind, String prefix) throws SQLException {
        String stream = kind.onNats() ? NatsServer.requireStream() : null;
        String name = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        if (kind == Kind.MARIADB_NATS) {
            String serverUrl = System.getenv("CARECHAT_TEST_MARIADB_URL");
            if (serverUrl == null || serverUrl.isBlank()) {
                serverUrl = DEFAULT_MARIADB_URL;
            }
            try (Connection c = DriverManager.getConnection(serverUrl); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
            } catch (SQLException e) {
                if ("1".equals(System.getenv("CARECHAT_REQUIRE_MARIADB"))) {
                    throw new AssertionError("CARECHAT_REQUIRE_MARIADB=1 but MariaDB does not answer at "
                            + "CARECHAT_TEST_MARIADB_URL", e);
                }
                Assumptions.abort("MariaDB not reachable (set CARECHAT_TEST_MARIADB_URL) for the MariaDB cluster run: "
                        + e.getClass().getSimpleName());
            }
            String nodeUrl = serverUrl.replaceFirst("(jdbc:(?:mariadb|mysql)://[^/?]+)/?[^?]*", "$1/" + name);
            return new SharedCluster(kind, serverUrl, nodeUrl, stream, name);
        }
        String baseUrl = System.getenv("CARECHAT_TEST_POSTGRES_URL");
        if (baseUrl == null || baseUrl.isBlank()) {
            if ("1".equals(System.getenv("CARECHAT_REQUIRE_POSTGRES"))) {
                throw new AssertionError("CARECHAT_REQUIRE_POSTGRES=1 but CARECHAT_TEST_POSTGRES_URL is not set");
            }
            Assumptions.abort("PostgreSQL not configured: set CARECHAT_TEST_POSTGRES_URL "
                    + "(e.g. jdbc:postgresql://127.0.0.1:5432/test?user=postgres) to run the cluster test");
        }
        try (Connection c = DriverManager.getConnection(baseUrl); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + name);
        }
        String nodeUrl = baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + name;
        return new SharedCluster(kind, baseUrl, nodeUrl, stream, name);
    }

    /** The schema's or database's name, unique to the test. */
    String name() {
        return name;
    }

    /**
     * The settings that put a node in the cluster: its database, and the NATS server and stream
     * where there is one.
     */
    Map<String, String> nodeSettings() {
        Map<String, String> settings = new HashMap<>();
        settings.put("CARECHAT_DB_URL", nodeUrl);
        if (natsStream != null) {
            settings.put("CARECHAT_NATS_URL", NatsServer.url());
            settings.put("CARECHAT_NATS_STREAM", natsStream);
        }
        return settings;
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
            s.execute(kind == Kind.MARIADB_NATS ? "DROP DATABASE " + name : "DROP SCHEMA " + name + " CASCADE");
        } finally {
            if (natsStream != null) {
                deleteStream();
            }
        }
    }

    private void deleteStream() {
        try {
            NatsServer.deleteStream(natsStream);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while deleting the test's NATS stream " + natsStream, e);
        } catch (Exception e) {
            throw new IllegalStateException("could not delete the test's NATS stream " + natsStream, e);
        }
    }
}
