package io.carechat.messaging.jdbc.internal;

import static java.util.Objects.requireNonNull;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * An application's data source whose connections are handed out at READ COMMITTED isolation, the
 * isolation CareChat's stores are written for (each statement sees what committed before it; rows
 * are locked with {@code FOR UPDATE} where a transaction must see the latest). A database whose
 * default is another isolation (MariaDB and MySQL default to REPEATABLE READ) gets its connections
 * through it. A connection already at READ COMMITTED, such as one from a pool configured so, is
 * handed out as it is. Not API. Thread-safe as the wrapped data source is. Lifecycle: the
 * application owns and closes the wrapped data source; this one holds nothing of its own.
 */
final class ReadCommittedSessions implements DataSource {
    private final DataSource dataSource;

    /**
     * Wraps a data source.
     *
     * @param dataSource the application's data source
     */
    ReadCommittedSessions(DataSource dataSource) {
        this.dataSource = requireNonNull(dataSource, "dataSource");
    }

    @Override
    public Connection getConnection() throws SQLException {
        return readCommitted(dataSource.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return readCommitted(dataSource.getConnection(username, password));
    }

    private static Connection readCommitted(Connection connection) throws SQLException {
        try {
            if (connection.getTransactionIsolation() != Connection.TRANSACTION_READ_COMMITTED) {
                connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            }
            return connection;
        } catch (SQLException | RuntimeException e) {
            try {
                connection.close();
            } catch (SQLException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return dataSource.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        dataSource.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        dataSource.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return dataSource.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return dataSource.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : dataSource.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || dataSource.isWrapperFor(type);
    }
}
