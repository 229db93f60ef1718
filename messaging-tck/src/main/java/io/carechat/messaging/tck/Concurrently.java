package io.carechat.messaging.tck;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

/**
 * Runs tasks on their own threads, released together by a start gate, and collects their
 * results, for the kit's concurrency rules and adapters' own concurrency tests. Bounded in time: a
 * task that does not finish within a minute fails the test. Thread-safe and stateless; each call
 * starts a fresh pool and shuts it down before it returns.
 */
public final class Concurrently {
    private static final long TIMEOUT_SECONDS = 60;

    private Concurrently() {}

    /**
     * Runs {@code threads} tasks at once.
     *
     * @param threads how many tasks, each on its own thread
     * @param task makes the task for a thread index
     * @param <T> the result type
     * @return the results, in thread index order
     * @throws AssertionError wrapping the first task failure, or on timeout
     */
    public static <T> List<T> run(int threads, IntFunction<Callable<T>> task) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Callable<T> body = task.apply(i);
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    start.await();
                    return body.call();
                }));
            }
            if (!ready.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("threads did not start");
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            }
            return results;
        } catch (ExecutionException e) {
            throw new AssertionError("a concurrent task failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("concurrent tasks did not finish in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }
}
