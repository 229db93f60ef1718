package io.carechat.messaging.websocket;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** Bounded waits for tests: nothing here waits longer than {@link #LIMIT}. */
final class Await {
    static final Duration LIMIT = Duration.ofSeconds(10);

    private Await() {}

    /** Waits for a future and returns its value; fails the test on timeout or failure. */
    static <T> T done(CompletableFuture<T> future) {
        try {
            return future.get(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException e) {
            throw new AssertionError("the future failed", e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("the future did not complete within " + LIMIT, e);
        }
    }

    /** Waits for a future to fail and returns the cause. */
    static Throwable failure(CompletableFuture<?> future) {
        try {
            future.get(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("the future did not complete within " + LIMIT, e);
        }
        throw new AssertionError("the future succeeded, a failure was expected");
    }

    /** Polls a condition until it holds; fails the test when it does not within the limit. */
    static void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + LIMIT + ": " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
