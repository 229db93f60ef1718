package io.carechat.examples.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.EventsHandler;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Closes an HTTP connection whose request line and headers take longer than a limit to arrive, so
 * slow clients sending a byte now and then (slowloris) cannot hold every connection: Jetty's idle
 * timeout alone is reset by each byte.
 *
 * <p>Wraps the server's handler, to learn when a request's headers are complete (handling begins)
 * and when it ends, and listens to the connector's connections: a connection that has received
 * bytes since its last request ended, and has not begun handling a new one, is reading headers.
 * It is checked a few times per limit on the scheduler; a body being read is left to the idle
 * timeout. Thread-safe; started and stopped with the server.
 */
public final class HeaderReadDeadline extends EventsHandler implements Connection.Listener {
    private final long limitNanos;
    private final Scheduler scheduler;
    private final Map<Connection, Watch> open = new ConcurrentHashMap<>();
    private volatile Scheduler.Task next;

    /** What is known of one connection; guarded by itself. */
    private static final class Watch {
        long bytesAtLastEnd;
        long headersSince;
        boolean handling;
    }

    /**
     * Creates the watcher.
     *
     * @param handler the handler requests go to
     * @param limit the longest time a request's line and headers may take
     * @param scheduler the connector's scheduler
     */
    public HeaderReadDeadline(Handler handler, Duration limit, Scheduler scheduler) {
        super(handler);
        this.limitNanos = limit.toNanos();
        this.scheduler = scheduler;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        schedule();
    }

    @Override
    protected void doStop() throws Exception {
        Scheduler.Task task = next;
        if (task != null) {
            task.cancel();
        }
        open.clear();
        super.doStop();
    }

    /** Watches HTTP connections only: a socket upgraded from one is a connection of its own, never reading headers. */
    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof ConnectionMetaData) {
            open.put(connection, new Watch());
        }
    }

    @Override
    public void onClosed(Connection connection) {
        open.remove(connection);
    }

    @Override
    protected void onBeforeHandling(Request request) {
        Watch watch = open.get(request.getConnectionMetaData().getConnection());
        if (watch != null) {
            synchronized (watch) {
                watch.handling = true;
                watch.headersSince = 0;
            }
        }
    }

    @Override
    protected void onComplete(Request request, int status, org.eclipse.jetty.http.HttpFields headers,
            Throwable failure) {
        Connection connection = request.getConnectionMetaData().getConnection();
        Watch watch = open.get(connection);
        if (watch != null) {
            synchronized (watch) {
                watch.handling = false;
                watch.bytesAtLastEnd = connection.getBytesIn();
            }
        }
    }

    private void schedule() {
        if (isStarting() || isRunning()) {
            next = scheduler.schedule(this::check, Math.max(limitNanos / 4, TimeUnit.MILLISECONDS.toNanos(100)),
                    TimeUnit.NANOSECONDS);
        }
    }

    private void check() {
        long now = System.nanoTime();
        open.forEach((connection, watch) -> {
            boolean expired;
            synchronized (watch) {
                boolean readingHeaders = !watch.handling && connection.getBytesIn() > watch.bytesAtLastEnd;
                if (!readingHeaders) {
                    watch.headersSince = 0;
                    return;
                }
                if (watch.headersSince == 0) {
                    watch.headersSince = now;
                }
                expired = now - watch.headersSince > limitNanos;
            }
            if (expired) {
                connection.getEndPoint().close();
            }
        });
        schedule();
    }
}
