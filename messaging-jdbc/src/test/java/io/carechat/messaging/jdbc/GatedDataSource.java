package io.carechat.messaging.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Wraps a data source so the test can hold connection requests at a gate, as a pool with no
 * connection to give would: once {@link #close()}d, {@code getConnection} waits until the gate is
 * {@link #open()}ed again. Tells when a request is waiting. Thread-safe; one closing per instance.
 */
final class GatedDataSource extends ForwardingDataSource {
    private final DataSource target;
    private final CountDownLatch opened = new CountDownLatch(1);
    private final CountDownLatch waiting = new CountDownLatch(1);
    private volatile boolean closed;

    GatedDataSource(DataSource target) {
        this.target = target;
    }

    @Override
    protected DataSource delegate() {
        return target;
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (closed) {
            waiting.countDown();
            try {
                if (!opened.await(1, TimeUnit.MINUTES)) {
                    throw new SQLException("the gate stayed closed");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted at the gate", e);
            }
        }
        return target.getConnection();
    }

    /** Holds every connection request from now on until {@link #open()}. */
    void close() {
        closed = true;
    }

    /** Lets the held requests and every later one through. */
    void open() {
        closed = false;
        opened.countDown();
    }

    /** Waits until a request is held at the gate. */
    void awaitWaiting() throws InterruptedException {
        if (!waiting.await(1, TimeUnit.MINUTES)) {
            throw new AssertionError("no connection request came to the gate");
        }
    }
}
