package io.carechat.messaging.bus;

import java.time.Duration;

/**
 * Waits between attempts to reach what a bus links through (the database, a NATS server): the
 * first wait is the minimum, each next one doubles, up to the maximum, until {@link #reset()}. Not
 * thread-safe: one per thread.
 */
public final class Backoff {
    private final long minMillis;
    private final long maxMillis;
    private long nextMillis;

    /**
     * Creates the waits, starting at the minimum.
     *
     * @param min the first wait
     * @param max the longest wait
     */
    public Backoff(Duration min, Duration max) {
        this.minMillis = min.toMillis();
        this.maxMillis = max.toMillis();
        this.nextMillis = minMillis;
    }

    /** Starts again from the minimum, after a success. */
    public void reset() {
        nextMillis = minMillis;
    }

    /**
     * Sleeps for the next wait.
     *
     * @return false if interrupted, and then the interrupt flag is set again
     */
    public boolean pause() {
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
    public long nextMillis() {
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
    public static Duration nth(Duration min, Duration max, long attempt) {
        long shift = Math.min(Math.max(0, attempt - 1), 20);
        long millis = Math.min(max.toMillis(), min.toMillis() << shift);
        return Duration.ofMillis(millis);
    }
}
