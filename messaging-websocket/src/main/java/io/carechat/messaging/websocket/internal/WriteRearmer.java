package io.carechat.messaging.websocket.internal;

import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocketImpl;

/**
 * Works around a lost write wake-up in Java-WebSocket 1.6: when a frame is queued from another
 * thread while the selector thread finishes writing, the selector thread can reset the socket's
 * interest to read-only after the sender asked for write, and the frame then waits in the queue
 * until something else is sent. Sockets that were sent to are watched; while one has queued data
 * and no write interest, the interest is set again. A stuck frame leaves within one interval.
 *
 * <p>Not API. Thread-safe. Lifecycle: created with the server, started and closed with it.
 */
public final class WriteRearmer implements AutoCloseable {
    private final Set<WebSocketImpl> watched = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer;
    private final Duration interval;

    /**
     * Creates the sweeper; no thread runs before {@link #start()}.
     *
     * @param interval how often watched sockets are checked
     */
    public WriteRearmer(Duration interval) {
        this.interval = interval;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "carechat-ws-write-rearm");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts sweeping. Call once. */
    public void start() {
        long nanos = interval.toNanos();
        timer.scheduleWithFixedDelay(this::sweep, nanos, nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Watches a socket after a frame was queued on it.
     *
     * @param socket the socket
     */
    public void watch(WebSocketImpl socket) {
        watched.add(socket);
    }

    /** Checks every watched socket once. */
    void sweep() {
        for (WebSocketImpl socket : watched) {
            if (!socket.isOpen() || !socket.hasBufferedData()) {
                watched.remove(socket);
                // A frame queued just now was added after being queued; look once more.
                if (socket.isOpen() && socket.hasBufferedData()) {
                    watched.add(socket);
                }
                continue;
            }
            SelectionKey key = socket.getSelectionKey();
            try {
                if (key != null && key.isValid() && (key.interestOps() & SelectionKey.OP_WRITE) == 0) {
                    key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                    key.selector().wakeup();
                }
            } catch (CancelledKeyException e) {
                watched.remove(socket);
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        watched.clear();
    }
}
