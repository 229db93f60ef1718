package io.carechat.messaging.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;

/** A database made for one test, on H2, PostgreSQL or MariaDB, that the test can stop and start again. */
interface TestDatabase extends AutoCloseable {

    /** A data source that stays valid across {@link #stop()} and {@link #restart()}. */
    DataSource dataSource();

    /** Takes the database away: every use fails until {@link #restart()}. */
    void stop() throws Exception;

    /** Brings the database back, with everything committed before the stop. */
    void restart() throws Exception;

    /**
     * Another pool on the same database, as another node would have. The caller closes it.
     *
     * @param size its maximum size
     * @return the pool
     */
    HikariDataSource openPool(int size);

    /** How many connections the test's pool has lent out and not got back. */
    int activeConnections();

    @Override
    void close();
}
