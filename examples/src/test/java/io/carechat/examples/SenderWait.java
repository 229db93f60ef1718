package io.carechat.examples;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

/**
 * Waits in the fault ITs for a condition while background senders run: a sender that stopped with
 * a failure ends the wait with that failure instead of letting it time out unexplained. Stateless.
 */
final class SenderWait {
    private SenderWait() {}

    /**
     * Polls {@code condition} every 100 ms until it holds.
     *
     * @param what the condition in words, for the failure message
     * @param sending the senders' futures
     * @param limit how long to wait
     * @param condition what to wait for
     * @throws AssertionError if a sender failed or the limit passed
     */
    static void awaitUntil(String what, List<Future<?>> sending, Duration limit, BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            for (Future<?> f : sending) {
                if (f.isDone()) {
                    try {
                        f.get();
                    } catch (ExecutionException e) {
                        throw new AssertionError("a sender failed while waiting until " + what, e.getCause());
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + limit + ": " + what);
            }
            Thread.sleep(100);
        }
    }
}
