package io.carechat.messaging.websocket.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Closes server sockets without losing what was last written to them. Java-WebSocket closes a
 * server socket as soon as its close frame is handed to the network; when the peer is still
 * sending (a flooding client closed as a slow consumer, say), its unread bytes make the kernel end
 * the connection with a reset, and a reset throws away, on the peer's side, whatever it had not
 * read yet: the close frame with its code and reason among them. Here the socket's sending side is
 * shut down instead (the peer reads everything written, then end of stream), and what the peer
 * still sends is read and dropped until it closes its side or until {@code linger} has passed;
 * only then is the socket closed. Each sweep reads at most {@code drainPerSweep} bytes of one
 * socket, so one flooding peer cannot hold the sweeping thread.
 *
 * <p>Not API. Thread-safe. Lifecycle: created with the server, started and closed with it; a
 * socket handed over after {@link #close()} is closed at once.
 */
public final class LingeringClose implements AutoCloseable {
    /** How often lingering sockets are read. */
    private static final long SWEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private static final class Lingering {
        final SocketChannel socket;
        final long deadline;

        Lingering(SocketChannel socket, long deadline) {
            this.socket = socket;
            this.deadline = deadline;
        }
    }

    private final long lingerNanos;
    private final long drainPerSweep;
    private final Set<Lingering> lingering = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer;
    private final ByteBuffer scratch = ByteBuffer.allocate(16 * 1024);
    private volatile boolean closed;

    /**
     * Creates the closer; no thread runs before {@link #start()}.
     *
     * @param linger longest time a closed socket waits for its peer to close; zero closes at once
     * @param drainPerSweep most bytes read and dropped from one socket per sweep (20 sweeps a second)
     */
    public LingeringClose(Duration linger, long drainPerSweep) {
        this.lingerNanos = linger.toNanos();
        this.drainPerSweep = drainPerSweep;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "carechat-ws-linger");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts reading lingering sockets. Call once. */
    public void start() {
        if (lingerNanos > 0) {
            timer.scheduleWithFixedDelay(this::sweep, SWEEP_NANOS, SWEEP_NANOS, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Closes a non-blocking socket once its peer has read what was written to it: shuts down its
     * sending side now, and closes it when the peer closes or the linger time has passed.
     *
     * @param socket the socket, no longer read or written by anyone else
     */
    public void close(SocketChannel socket) {
        if (lingerNanos == 0 || closed || !socket.isOpen()) {
            closeQuietly(socket);
            return;
        }
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(socket);
            return;
        }
        lingering.add(new Lingering(socket, System.nanoTime() + lingerNanos));
        if (closed) {
            closeAll();
        }
    }

    /** How many sockets wait for their peer to close. */
    public int lingering() {
        return lingering.size();
    }

    /** Reads and drops what each lingering socket received; closes those that are done. */
    void sweep() {
        long now = System.nanoTime();
        for (Lingering l : lingering) {
            if (drainedToEnd(l) || now - l.deadline >= 0) {
                lingering.remove(l);
                closeQuietly(l.socket);
            }
        }
    }

    /** Drops what the socket holds; true when the peer closed its side or the socket failed. */
    private boolean drainedToEnd(Lingering l) {
        try {
            long drained = 0;
            while (drained < drainPerSweep) {
                scratch.clear();
                int n = l.socket.read(scratch);
                if (n < 0) {
                    return true;
                }
                if (n == 0) {
                    return false;
                }
                drained += n;
            }
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** Closes every lingering socket and stops; later sockets are closed at once. */
    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        closeAll();
    }

    private void closeAll() {
        for (Lingering l : lingering) {
            lingering.remove(l);
            closeQuietly(l.socket);
        }
    }

    private static void closeQuietly(SocketChannel socket) {
        try {
            socket.close();
        } catch (IOException alreadyGone) {
            // nothing more to release
        }
    }
}
