package io.carechat.messaging.jdbc.internal;

import io.carechat.messaging.bus.Backoff;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bus's listener: one thread that holds its own connection (outside any pool), runs
 * {@code LISTEN} on the channel and waits for notifications with
 * {@link PGConnection#getNotifications(int)}. When the connection fails it opens a new one, with
 * backoff, and after {@code LISTEN} succeeds again tells its {@link Handler} that notifications
 * may have been lost meanwhile. A connection that stays silent is checked now and then with a
 * query, so a dead one is noticed. In {@code pg_stat_activity} the connection shows with
 * {@value #APPLICATION_NAME_SUFFIX} after its application name. It knows its bus only through the {@link Connector} and the
 * {@link Handler} it is given. Not API. Thread-safe.
 *
 * <p>Lifecycle: the thread starts in {@link #start()}; {@link #close()} stops it within about one
 * poll interval and closes the connection.
 */
public final class NotificationListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NotificationListener.class);
    private static final long CHECK_AFTER_SILENT_MILLIS = 10_000;
    private static final int CHECK_TIMEOUT_SECONDS = 5;
    private static final long CLOSE_GRACE_MILLIS = 5_000;
    /** Appended to the connection's {@code application_name}, so it shows as the bus's listener. */
    public static final String APPLICATION_NAME_SUFFIX = " event bus";

    /** Opens the listener's dedicated connection. Called on the listener thread. */
    @FunctionalInterface
    public interface Connector {
        /**
         * Opens a new connection to PostgreSQL.
         *
         * @return the connection; the listener closes it
         * @throws SQLException if the database cannot be reached
         */
        Connection open() throws SQLException;
    }

    /** What the listener reports. Called on the listener thread; must not block for long. */
    public interface Handler {
        /**
         * A notification arrived on the channel.
         *
         * @param payload its text
         */
        void onNotification(String payload);

        /** {@code LISTEN} is in place again after the connection was down: some may be lost. */
        void onReconnected();
    }

    private final Connector connections;
    private final String channel;
    private final int pollMillis;
    private final Backoff backoff;
    private final Handler handler;
    private final Thread thread;
    private volatile boolean closed;
    private volatile boolean listening;

    /**
     * Creates the listener; call {@link #start()}.
     *
     * @param connections opens the dedicated connection
     * @param channel the channel, already validated as an identifier
     * @param pollInterval how long one wait for notifications lasts
     * @param minBackoff the first wait after a failure
     * @param maxBackoff the longest wait between attempts
     * @param threadFactory makes the thread
     * @param handler gets notifications and reconnections
     */
    public NotificationListener(Connector connections, String channel,
            Duration pollInterval, Duration minBackoff, Duration maxBackoff, ThreadFactory threadFactory,
            Handler handler) {
        this.connections = connections;
        this.channel = channel;
        this.pollMillis = Math.toIntExact(Math.max(1, pollInterval.toMillis()));
        this.backoff = new Backoff(minBackoff, maxBackoff);
        this.handler = handler;
        this.thread = threadFactory.newThread(this::run);
    }

    /** Starts the thread. */
    public void start() {
        thread.start();
    }

    /**
     * Tells whether {@code LISTEN} is in place now.
     *
     * @return true while listening
     */
    public boolean isListening() {
        return listening;
    }

    private void run() {
        boolean lost = false;
        while (!closed) {
            try (Connection connection = connections.open()) {
                PGConnection pg = connection.unwrap(PGConnection.class);
                if (!connection.getAutoCommit()) {
                    connection.setAutoCommit(true);
                }
                try (Statement statement = connection.createStatement()) {
                    // Operators (and tests) tell this connection from the pool's in pg_stat_activity.
                    statement.execute("SELECT set_config('application_name', left(current_setting('application_name')"
                            + " || '" + APPLICATION_NAME_SUFFIX + "', 63), false)");
                    statement.execute("LISTEN " + channel);
                }
                listening = true;
                backoff.reset();
                if (lost) {
                    LOG.info("the event bus listens again; live sessions catch up from the store");
                    lost = false;
                    handler.onReconnected();
                }
                listen(connection, pg);
            } catch (SQLException | RuntimeException e) {
                listening = false;
                if (closed) {
                    break;
                }
                lost = true;
                LOG.warn("the event bus's listener connection failed ({}); retrying in {} ms",
                        e.getClass().getName(), backoff.nextMillis());
            }
            listening = false;
            if (!closed && !backoff.pause()) {
                break;
            }
        }
        listening = false;
    }

    private void listen(Connection connection, PGConnection pg) throws SQLException {
        long silentSince = System.nanoTime();
        while (!closed) {
            PGNotification[] notifications = pg.getNotifications(pollMillis);
            if (notifications != null && notifications.length > 0) {
                silentSince = System.nanoTime();
                for (PGNotification notification : notifications) {
                    if (channel.equals(notification.getName())) {
                        handler.onNotification(notification.getParameter());
                    }
                }
            } else if (System.nanoTime() - silentSince > CHECK_AFTER_SILENT_MILLIS * 1_000_000L) {
                try (Statement check = connection.createStatement()) {
                    check.setQueryTimeout(CHECK_TIMEOUT_SECONDS);
                    check.execute("SELECT 1");
                }
                silentSince = System.nanoTime();
            }
        }
    }

    /** Stops the thread and closes the connection. Idempotent. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(pollMillis + CLOSE_GRACE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("the event bus's listener thread did not stop in time");
        }
    }
}
