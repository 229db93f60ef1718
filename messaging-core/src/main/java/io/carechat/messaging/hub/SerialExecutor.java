package io.carechat.messaging.hub;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a shared executor: one per session, so a
 * session's requests are served in order while sessions share the worker pool. Runs a bounded
 * batch per turn, then yields the pool thread. Thread-safe.
 */
final class SerialExecutor implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);
    private static final int BATCH = 16;

    private final Executor pool;
    private final Consumer<Runnable> around;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    SerialExecutor(Executor pool) {
        this(pool, Runnable::run);
    }

    /**
     * A serial executor that runs each task through {@code around}, such as a log context.
     *
     * @param pool the threads
     * @param around runs a task, on the pool's thread
     */
    SerialExecutor(Executor pool, Consumer<Runnable> around) {
        this.pool = pool;
        this.around = around;
    }

    /**
     * Queues a task.
     *
     * @throws RejectedExecutionException when the pool refuses to run the queue
     */
    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        schedule();
    }

    private void schedule() {
        if (!tasks.isEmpty() && scheduled.compareAndSet(false, true)) {
            try {
                pool.execute(this::drain);
            } catch (RejectedExecutionException e) {
                scheduled.set(false);
                tasks.clear();
                throw e;
            }
        }
    }

    private void drain() {
        try {
            for (int i = 0; i < BATCH; i++) {
                Runnable task = tasks.poll();
                if (task == null) {
                    break;
                }
                try {
                    around.accept(task);
                } catch (RuntimeException e) {
                    LOG.error("a session task failed ({})", e.getClass().getName());
                }
            }
        } finally {
            scheduled.set(false);
            try {
                schedule();
            } catch (RejectedExecutionException e) {
                LOG.debug("the worker pool is shut down; dropping queued session tasks");
            }
        }
    }
}
