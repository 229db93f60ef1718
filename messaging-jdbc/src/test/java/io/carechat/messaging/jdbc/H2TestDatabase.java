package io.carechat.messaging.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * An embedded H2 database behind a small HikariCP pool, for one test. In memory by default (it
 * lives while the pool is open), or in a file, so it can be stopped by closing the pool and
 * started again by opening a new one. Not thread-safe to open and close; the pool is.
 */
final class H2TestDatabase implements TestDatabase {
    private final String url;
    private volatile HikariDataSource pool;
    private final DataSource current = new ForwardingDataSource() {
        @Override
        protected DataSource delegate() {
            return pool;
        }
    };

    private H2TestDatabase(String url) {
        this.url = url;
        this.pool = openPool(4);
    }

    /** A fresh in-memory database. */
    static H2TestDatabase inMemory() {
        return new H2TestDatabase("jdbc:h2:mem:cc" + UUID.randomUUID().toString().replace("-", "")
                + ";LOCK_TIMEOUT=10000");
    }

    /** A fresh database in a file under {@code dir}. */
    static H2TestDatabase inFile(Path dir) {
        return new H2TestDatabase("jdbc:h2:file:" + dir.resolve("carechat").toAbsolutePath()
                + ";WRITE_DELAY=0;LOCK_TIMEOUT=10000");
    }

    /** Forwards to the pool now open. */
    @Override
    public DataSource dataSource() {
        return current;
    }

    /**
     * Ends every session, as a crashed database would, then closes the pool: a file database is
     * then stopped, and every use of the pool fails.
     */
    @Override
    public void stop() {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("SELECT ABORT_SESSION(SESSION_ID) FROM INFORMATION_SCHEMA.SESSIONS WHERE SESSION_ID <> SESSION_ID()");
        } catch (SQLException e) {
            throw new IllegalStateException("could not end the database's sessions", e);
        }
        pool.close();
    }

    /** Opens a new pool on the same database, starting it again. */
    @Override
    public void restart() {
        pool = openPool(4);
    }

    @Override
    public int activeConnections() {
        return pool.getHikariPoolMXBean().getActiveConnections();
    }

    @Override
    public HikariDataSource openPool(int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername("sa");
        config.setPassword("");
        config.setMaximumPoolSize(size);
        config.setConnectionTimeout(2_000);
        config.setPoolName("h2-test");
        return new HikariDataSource(config);
    }

    @Override
    public void close() {
        pool.close();
    }
}
