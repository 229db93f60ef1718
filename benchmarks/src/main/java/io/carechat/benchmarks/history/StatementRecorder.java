package io.carechat.benchmarks.history;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source in front of the benchmark's pool that, while recording is on, remembers each
 * prepared statement the product executes with the parameters it was given, so the benchmark can
 * run {@code EXPLAIN} on exactly the SQL the product runs. When recording is off it only passes
 * calls through (a reflective proxy per connection and statement; the benchmark measures with the
 * same proxies in place at both history sizes).
 *
 * <p>Thread-safe: statements from any thread (request threads and the group-commit writer) are
 * recorded. Lifecycle: wrap the pool once, {@link #start()} and {@link #stop()} around the calls
 * whose statements are wanted; the pool stays owned by the caller.
 */
final class StatementRecorder implements DataSource {
    private final DataSource target;
    private final List<Executed> recorded = new ArrayList<>();
    private volatile boolean recording;

    /**
     * One statement as executed: its SQL (JDBC placeholders) and its parameter setters in order.
     *
     * @param sql the statement's text
     * @param parameters the {@code set...} calls made before it ran
     */
    record Executed(String sql, List<Parameter> parameters) {}

    /**
     * One {@code PreparedStatement.set...} call, replayable on another statement.
     *
     * @param method the setter
     * @param args its arguments, the parameter index first
     */
    record Parameter(Method method, Object[] args) {
        void applyTo(PreparedStatement statement) throws SQLException {
            try {
                method.invoke(statement, args);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof SQLException sql) {
                    throw sql;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    StatementRecorder(DataSource target) {
        this.target = target;
    }

    /** Starts recording, forgetting what was recorded before. */
    synchronized void start() {
        recorded.clear();
        recording = true;
    }

    /** @return the statements executed since {@link #start()}, in order; recording stops */
    synchronized List<Executed> stop() {
        recording = false;
        return List.copyOf(recorded);
    }

    private synchronized void record(String sql, List<Parameter> parameters) {
        if (recording) {
            recorded.add(new Executed(sql, List.copyOf(parameters)));
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(target.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return wrap(target.getConnection(username, password));
    }

    private Connection wrap(Connection connection) {
        InvocationHandler handler = (proxy, method, args) -> {
            Object result = invoke(connection, method, args);
            if (result instanceof PreparedStatement statement && method.getName().equals("prepareStatement")) {
                return watch(statement, (String) args[0]);
            }
            return result;
        };
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                handler);
    }

    private PreparedStatement watch(PreparedStatement statement, String sql) {
        List<Parameter> parameters = new ArrayList<>();
        List<Parameter> firstBatch = new ArrayList<>();
        InvocationHandler handler = (proxy, method, args) -> {
            String name = method.getName();
            if (name.startsWith("set") && args != null && args.length >= 2 && args[0] instanceof Integer) {
                parameters.add(new Parameter(method, args.clone()));
            } else if (name.equals("clearParameters")) {
                parameters.clear();
            } else if (name.equals("addBatch") && (args == null || args.length == 0)) {
                if (firstBatch.isEmpty()) {
                    firstBatch.addAll(parameters);
                }
            } else if (name.equals("executeBatch") || name.equals("executeLargeBatch")) {
                record(sql, firstBatch);
                firstBatch.clear();
            } else if ((name.equals("execute") || name.equals("executeQuery") || name.equals("executeUpdate")
                    || name.equals("executeLargeUpdate")) && (args == null || args.length == 0)) {
                record(sql, parameters);
            }
            return invoke(statement, method, args);
        };
        return (PreparedStatement) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {PreparedStatement.class}, handler);
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return target.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        target.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        target.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return target.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return target.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return target.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return target.isWrapperFor(iface);
    }
}
