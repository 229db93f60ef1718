package io.carechat.messaging.nats.internal;

import java.time.Duration;

/**
 * Waits between attempts to reach NATS: the first wait is the minimum, each next one doubles, up
 * to the maximum, until {@link #reset()}. Not API. Not thread-safe: one per thread.
 */
final class Backoff {
    private final long minMillis;
    private final long maxMillis;
    private long nextMillis;

    Backoff(Duration min, Duration max) {
        this.minMillis = min.toMillis();
        this.maxMillis = max.toMillis();
        this.nextMillis = minMillis;
    }

    /** Starts again from the minimum, after a success. */
    void reset() {
        nextMillis = minMillis;
    }

    /**
     * Sleeps for the next wait.
     *
     * @return false if interrupted, and then the interrupt flag is set again
     */
    boolean pause() {
        try {
            Thread.sleep(nextMillis);
            nextMillis = Math.min(maxMillis, nextMillis * 2);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * The wait {@link #pause()} would sleep next.
     *
     * @return milliseconds
     */
    long nextMillis() {
        return nextMillis;
    }

    /**
     * The wait before reconnect attempt {@code attempt}, for the NATS client's own reconnection.
     *
     * @param min the first wait
     * @param max the longest wait
     * @param attempt the attempt, from 1
     * @return the wait
     */
    static Duration nth(Duration min, Duration max, long attempt) {
        long shift = Math.min(Math.max(0, attempt - 1), 20);
        long millis = Math.min(max.toMillis(), min.toMillis() << shift);
        return Duration.ofMillis(millis);
    }
}
