package io.carechat.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A fresh, empty database for one benchmark: an H2 file in a temporary folder, a new schema in a
 * PostgreSQL database, or a new database on a MariaDB server, dropped on close. Open it, use its
 * pool from any thread, close it once.
 */
public final class Database implements AutoCloseable {
    final String label;
    final HikariDataSource dataSource;
    /** The column type of a point in time with its zone, for the ceiling's table. */
    final String timestampType;
    private final Runnable cleanup;

    private Database(String label, HikariDataSource dataSource, Runnable cleanup) {
        this(label, dataSource, "TIMESTAMP WITH TIME ZONE", cleanup);
    }

    private Database(String label, HikariDataSource dataSource, String timestampType, Runnable cleanup) {
        this.label = label;
        this.dataSource = dataSource;
        this.timestampType = timestampType;
        this.cleanup = cleanup;
    }

    /** @return what database this is, e.g. "H2 (file)" */
    public String label() {
        return label;
    }

    /** @return the connection pool */
    public javax.sql.DataSource dataSource() {
        return dataSource;
    }

    /** @return an H2 file database in a new temporary folder, deleted on close */
    public static Database h2File() throws Exception {
        Path dir = Files.createTempDirectory("carechat-bench");
        HikariConfig pool = pool("jdbc:h2:file:" + dir.resolve("bench") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE");
        pool.setUsername("sa");
        return new Database("H2 (file)", new HikariDataSource(pool), () -> deleteQuietly(dir));
    }

    static Database h2Memory() {
        HikariConfig pool = pool("jdbc:h2:mem:bench-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        pool.setUsername("sa");
        return new Database("H2 (memory)", new HikariDataSource(pool), () -> { });
    }

    /** @return a new schema in the PostgreSQL database at {@code url}, dropped on close */
    public static Database postgres(String url) throws SQLException {
        String schema = "carechat_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        HikariConfig pool = pool(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema);
        return new Database("PostgreSQL", new HikariDataSource(pool), () -> {
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            } catch (SQLException e) {
                System.err.println("could not drop benchmark schema " + schema + ": " + e.getMessage());
            }
        });
    }

    /**
     * @param url a MariaDB (or MySQL) server, e.g. {@code jdbc:mariadb://127.0.0.1:3306/test?user=root}
     * @return a new database on that server, dropped on close
     */
    public static Database mariadb(String url) throws SQLException {
        String database = "carechat_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        }
        HikariConfig pool = pool(url.replaceFirst("(jdbc:(?:mariadb|mysql)://[^/?]+)/?[^?]*", "$1/" + database));
        return new Database("MariaDB", new HikariDataSource(pool), "DATETIME(6)", () -> {
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE " + database);
            } catch (SQLException e) {
                System.err.println("could not drop benchmark database " + database + ": " + e.getMessage());
            }
        });
    }

    private static HikariConfig pool(String url) {
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(url);
        pool.setMaximumPoolSize(8);
        pool.setConnectionTimeout(5_000);
        return pool;
    }

    @Override
    public void close() {
        dataSource.close();
        cleanup.run();
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            System.err.println("could not delete " + dir);
        }
    }
}
