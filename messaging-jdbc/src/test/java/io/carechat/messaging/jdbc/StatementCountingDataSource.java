package io.carechat.messaging.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * Wraps a data source and counts, for the threads whose name starts with a given prefix (the
 * group-commit writer's), the connections taken, the statements prepared, the statements executed
 * (a JDBC batch counts once), the rows added to JDBC batches and the commits. Thread-safe.
 */
final class StatementCountingDataSource extends ForwardingDataSource {
    private final DataSource target;
    private final String threadPrefix;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger prepares = new AtomicInteger();
    private final AtomicInteger executions = new AtomicInteger();
    private final AtomicInteger batchedRows = new AtomicInteger();
    private final AtomicInteger commits = new AtomicInteger();

    StatementCountingDataSource(DataSource target, String threadPrefix) {
        this.target = target;
        this.threadPrefix = threadPrefix;
    }

    @Override
    protected DataSource delegate() {
        return target;
    }

    int connections() {
        return connections.get();
    }

    int prepares() {
        return prepares.get();
    }

    int executions() {
        return executions.get();
    }

    int batchedRows() {
        return batchedRows.get();
    }

    int commits() {
        return commits.get();
    }

    void reset() {
        connections.set(0);
        prepares.set(0);
        executions.set(0);
        batchedRows.set(0);
        commits.set(0);
    }

    private boolean counted() {
        return Thread.currentThread().getName().startsWith(threadPrefix);
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection connection = target.getConnection();
        if (counted()) {
            connections.incrementAndGet();
        }
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    Object result = invoke(method, connection, args);
                    if (counted()) {
                        if (method.getName().equals("commit")) {
                            commits.incrementAndGet();
                        } else if (method.getName().equals("prepareStatement")) {
                            prepares.incrementAndGet();
                            return countingStatement((PreparedStatement) result);
                        }
                    }
                    return result;
                });
    }

    private PreparedStatement countingStatement(PreparedStatement statement) {
        return (PreparedStatement) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> {
                    if (method.getName().startsWith("execute")) {
                        executions.incrementAndGet();
                    } else if (method.getName().equals("addBatch")) {
                        batchedRows.incrementAndGet();
                    }
                    return invoke(method, statement, args);
                });
    }

    private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
