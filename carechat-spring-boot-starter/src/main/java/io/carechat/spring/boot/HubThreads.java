package io.carechat.spring.boot;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads of CareChat's real-time hub: a fixed pool of workers that serve socket requests,
 * and one timer. Created with the application context and shut down with it, after the hub.
 * Thread-safe.
 */
public final class HubThreads implements AutoCloseable {

    private final ExecutorService workers;
    private final ScheduledExecutorService timer;

    /**
     * Starts the threads.
     *
     * @param workerThreads how many workers, at least 1
     */
    public HubThreads(int workerThreads) {
        if (workerThreads < 1) {
            throw new IllegalArgumentException("carechat.hub.worker-threads must be at least 1, was " + workerThreads);
        }
        this.workers = Executors.newFixedThreadPool(workerThreads, daemon("carechat-hub-worker"));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("carechat-hub-timer"));
    }

    /** @return the workers */
    public ExecutorService workers() {
        return workers;
    }

    /** @return the timer */
    public ScheduledExecutorService timer() {
        return timer;
    }

    /** Stops both, waiting a few seconds for running tasks; an interrupt stops them at once. */
    @Override
    public void close() {
        workers.shutdown();
        timer.shutdown();
        try {
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
            if (!timer.awaitTermination(5, TimeUnit.SECONDS)) {
                timer.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            timer.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
