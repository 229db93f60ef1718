package io.carechat.messaging.tck.transport;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The hub's workers, with a gate the kit can close: while it is closed, work is queued and not
 * run, so a request is held "in flight" for as long as a test needs. Thread-safe.
 */
final class GatedExecutor implements Executor {
    private final ExecutorService delegate;
    private final Queue<Runnable> held = new ArrayDeque<>();
    private final AtomicInteger running = new AtomicInteger();
    private boolean open = true;

    GatedExecutor(ExecutorService delegate) {
        this.delegate = delegate;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (held) {
            if (!open) {
                held.add(task);
                return;
            }
        }
        run(task);
    }

    private void run(Runnable task) {
        delegate.execute(() -> {
            running.incrementAndGet();
            try {
                task.run();
            } finally {
                running.decrementAndGet();
            }
        });
    }

    /** Holds every task handed over from now on, until {@link #open()}. */
    void close() {
        synchronized (held) {
            open = false;
        }
    }

    /** Runs the held tasks, in order, and lets later ones through. */
    void open() {
        synchronized (held) {
            open = true;
            Runnable task;
            while ((task = held.poll()) != null) {
                run(task);
            }
        }
    }

    /**
     * Whether no task let through the gate is running. Once the gate is closed and this holds,
     * every further piece of work waits behind the gate: none can be picked up by a task that was
     * already running (a session drains its queue in one task).
     */
    boolean idle() {
        return running.get() == 0;
    }

    /** How many tasks wait behind the closed gate. */
    int heldTasks() {
        synchronized (held) {
            return held.size();
        }
    }
}
