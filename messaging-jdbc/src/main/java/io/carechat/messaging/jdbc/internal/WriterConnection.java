package io.carechat.messaging.jdbc.internal;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The group-commit writer's own connection, kept out of the pool from one batch to the next while
 * batches keep coming, with every statement it runs prepared once and reused: the database parses
 * and plans each statement once per busy spell instead of once per batch. When the writer goes
 * idle it {@link #release()}s the connection to the pool. After any failure the writer {@link #discard()}s it
 * and the next batch opens a fresh one, so a database that went away and came back is used again.
 * Not API. Not thread-safe: only the writer thread uses it. Lifecycle: opened on first use,
 * discarded after a failure, closed with the writer.
 */
public final class WriterConnection implements AutoCloseable {
    private final DataSource dataSource;
    private final SqlTemplates sql;
    private final int queryTimeoutSeconds;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private @Nullable Connection connection;

    /**
     * Creates the holder; no connection is opened yet.
     *
     * @param dataSource where connections come from
     * @param sql renders table names
     * @param queryTimeoutSeconds the longest one statement may run, in seconds
     */
    public WriterConnection(DataSource dataSource, SqlTemplates sql, int queryTimeoutSeconds) {
        this.dataSource = requireNonNull(dataSource, "dataSource");
        this.sql = requireNonNull(sql, "sql");
        this.queryTimeoutSeconds = queryTimeoutSeconds;
    }

    /**
     * The connection, opened with auto-commit off if there is none.
     *
     * @return the connection, inside a transaction
     * @throws SQLException if none can be opened
     */
    Connection connection() throws SQLException {
        Connection c = connection;
        if (c == null) {
            c = dataSource.getConnection();
            try {
                c.setAutoCommit(false);
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            connection = c;
        }
        return c;
    }

    /**
     * A statement of this connection, prepared on first use and reused after.
     *
     * @param template the SQL with {@code ${p}} for the table prefix
     * @return the prepared statement, its parameters from the last use still set
     * @throws SQLException if preparing fails
     */
    PreparedStatement prepare(String template) throws SQLException {
        PreparedStatement statement = statements.get(template);
        if (statement == null) {
            statement = connection().prepareStatement(sql.render(template));
            statement.setQueryTimeout(queryTimeoutSeconds);
            statements.put(template, statement);
        }
        return statement;
    }

    /**
     * Commits the transaction.
     *
     * @throws SQLException if the commit fails; the outcome is then unknown
     */
    void commit() throws SQLException {
        connection().commit();
    }

    /** Rolls the transaction back and keeps the connection; drops it if even that fails. */
    void rollback() {
        Connection c = connection;
        if (c == null) {
            return;
        }
        try {
            c.rollback();
        } catch (SQLException e) {
            discard();
        }
    }

    /** Rolls the transaction back and drops the connection; the next use opens a new one. */
    void discard() {
        Connection c = connection;
        connection = null;
        for (PreparedStatement statement : statements.values()) {
            try {
                statement.close();
            } catch (SQLException ignored) {
                // the connection is dropped anyway
            }
        }
        statements.clear();
        if (c != null) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // it may be broken; closing hands it back to the pool, which checks it
            }
            try {
                c.close();
            } catch (SQLException | RuntimeException ignored) {
                // a pool that was shut down may fail to take it back; nothing more to do
            }
        }
    }

    /**
     * Hands the connection back to its pool while the writer is idle, so an idle node holds none;
     * the next batch takes one again and prepares its statements anew. Idempotent.
     */
    void release() {
        discard();
    }

    /** Drops the connection. Idempotent. */
    @Override
    public void close() {
        discard();
    }
}
