package io.carechat.messaging.jdbc.internal;

import java.time.Duration;

/**
 * Waits between attempts to reach the database: the first wait is the minimum, each next one
 * doubles, up to the maximum, until {@link #reset()}. Not API. Not thread-safe: one per thread.
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
}
