package io.carechat.messaging.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/** Helpers for the PostgreSQL event bus tests: bounded waits, a breakable listener link, a raw listener. */
final class BusTestSupport {
    static final Duration WAIT = Duration.ofSeconds(20);

    private BusTestSupport() {}

    /** Waits, bounded, until the condition holds; fails with the message otherwise. */
    static void await(BooleanSupplier condition, String failure) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(failure);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    /**
     * Opens a bus's listener connections on the test database, remembers the backend of the last
     * one so a test can terminate it, and can refuse to connect, as a network down would.
     */
    static final class BreakableLink implements PostgresEventBus.ListenerConnections {
        private final PostgresTestDatabase database;
        private final AtomicBoolean down = new AtomicBoolean();
        private final AtomicInteger backend = new AtomicInteger();
        private final AtomicInteger opened = new AtomicInteger();

        BreakableLink(PostgresTestDatabase database) {
            this.database = database;
        }

        @Override
        public Connection open() throws SQLException {
            if (down.get()) {
                throw new SQLException("the test keeps the link down");
            }
            Connection connection = database.connect();
            try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                backend.set(rs.getInt(1));
            }
            opened.incrementAndGet();
            return connection;
        }

        /** Refuses new connections and ends the current one. */
        void cut() throws SQLException {
            down.set(true);
            database.terminateBackend(backend.get());
        }

        /** Lets the bus connect again. */
        void restore() {
            down.set(false);
        }

        int opened() {
            return opened.get();
        }

        /** The backend process id of the connection opened last. */
        int backend() {
            return backend.get();
        }
    }

    /** A plain LISTEN on a channel, to see exactly what the nodes send. Not thread-safe. */
    static final class RawListener implements AutoCloseable {
        private final Connection connection;
        private final List<String> payloads = new ArrayList<>();

        RawListener(PostgresTestDatabase database, String channel) throws SQLException {
            this.connection = database.connect();
            try (Statement s = connection.createStatement()) {
                s.execute("LISTEN " + channel);
            }
        }

        /** Reads notifications until {@code count} arrived in all, bounded in time. */
        List<String> awaitPayloads(int count) throws SQLException {
            return awaitUntil(all -> all.size() >= count, count + " notifications did not arrive");
        }

        /** Reads notifications until one matches, bounded in time: it has been sent. */
        List<String> awaitPayload(Predicate<String> condition) throws SQLException {
            return awaitUntil(all -> all.stream().anyMatch(condition), "the notification was not sent");
        }

        private List<String> awaitUntil(Predicate<List<String>> done, String failure) throws SQLException {
            PGConnection pg = connection.unwrap(PGConnection.class);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!done.test(payloads) && System.nanoTime() < deadline) {
                PGNotification[] notifications = pg.getNotifications(200);
                if (notifications != null) {
                    for (PGNotification n : notifications) {
                        payloads.add(n.getParameter());
                    }
                }
            }
            if (!done.test(payloads)) {
                throw new AssertionError(failure + "; got " + payloads.size());
            }
            return List.copyOf(payloads);
        }

        @Override
        public void close() throws SQLException {
            connection.close();
        }
    }
}
