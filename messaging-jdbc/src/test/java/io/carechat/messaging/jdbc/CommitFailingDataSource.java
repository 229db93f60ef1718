package io.carechat.messaging.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * Wraps a data source so the test can make every commit fail (rolled back, then reported as a
 * lost connection, as a database crashing at commit would), or lose every commit's reply
 * (committed, then reported as a lost connection, as a connection cut while the database answers
 * the commit would), and counts commits. Thread-safe.
 */
final class CommitFailingDataSource extends ForwardingDataSource {
    private final DataSource target;
    private final AtomicBoolean failCommits = new AtomicBoolean();
    private final AtomicBoolean loseCommitReplies = new AtomicBoolean();
    private final AtomicInteger commits = new AtomicInteger();

    CommitFailingDataSource(DataSource target) {
        this.target = target;
    }

    @Override
    protected DataSource delegate() {
        return target;
    }

    /** Makes every commit from now on fail (true) or succeed (false). */
    void failCommits(boolean fail) {
        failCommits.set(fail);
    }

    /** Makes every commit from now on commit and then report a lost connection (true), or not (false). */
    void loseCommitReplies(boolean lose) {
        loseCommitReplies.set(lose);
    }

    /** How many commits were attempted since the last {@link #resetCommitCount()}. */
    int commitCount() {
        return commits.get();
    }

    void resetCommitCount() {
        commits.set(0);
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection connection = target.getConnection();
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("commit") && method.getParameterCount() == 0) {
                        commits.incrementAndGet();
                        if (failCommits.get()) {
                            connection.rollback();
                            throw new SQLException("commit refused by the test", "08006");
                        }
                        if (loseCommitReplies.get()) {
                            connection.commit();
                            throw new SQLException("the commit's reply lost by the test", "08006");
                        }
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
