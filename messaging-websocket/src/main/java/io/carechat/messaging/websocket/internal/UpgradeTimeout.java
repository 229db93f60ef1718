package io.carechat.messaging.websocket.internal;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Closes connections whose WebSocket upgrade is not answered within a time limit: a peer that
 * connects and sends nothing, or only part of its upgrade request, would otherwise hold its socket
 * (a file descriptor) for as long as it likes, since Java-WebSocket watches only upgraded sockets.
 * The hub's authentication timeout starts once the upgrade is done; this covers the time before.
 *
 * <p>Not API. Thread-safe. Lifecycle: created with the server, started and closed with it.
 */
public final class UpgradeTimeout implements AutoCloseable {
    private record Pending(SocketChannel socket, SelectionKey key, MeteredChannel channel, long deadline) {}

    private final Set<Pending> pending = ConcurrentHashMap.newKeySet();
    private final long limitNanos;
    private final ScheduledExecutorService timer;

    /**
     * Creates the sweeper; no thread runs before {@link #start()}.
     *
     * @param limit how long a connection may take to have its upgrade answered
     */
    public UpgradeTimeout(Duration limit) {
        this.limitNanos = limit.toNanos();
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "carechat-ws-upgrade-timeout");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts sweeping, about ten times per limit and at least once a second. Call once. */
    public void start() {
        long interval = Math.max(TimeUnit.MILLISECONDS.toNanos(10), Math.min(limitNanos / 10, TimeUnit.SECONDS.toNanos(1)));
        timer.scheduleWithFixedDelay(this::sweep, interval, interval, TimeUnit.NANOSECONDS);
    }

    /**
     * Watches a connection just accepted.
     *
     * @param socket its socket
     * @param key its key with the server's selector
     * @param channel the channel the library reads and writes
     */
    void watch(SocketChannel socket, SelectionKey key, MeteredChannel channel) {
        pending.add(new Pending(socket, key, channel, System.nanoTime() + limitNanos));
    }

    /** Checks every watched connection once. */
    void sweep() {
        long now = System.nanoTime();
        for (Pending p : pending) {
            if (p.channel().upgradeAnswered() || !p.socket().isOpen()) {
                pending.remove(p);
            } else if (now - p.deadline() >= 0) {
                pending.remove(p);
                try {
                    p.socket().close();
                } catch (IOException alreadyGone) {
                    // closed either way
                }
                // The descriptor is released when the selector next runs.
                p.key().selector().wakeup();
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        pending.clear();
    }
}
