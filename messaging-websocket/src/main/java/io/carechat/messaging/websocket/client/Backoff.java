package io.carechat.messaging.websocket.client;

import java.time.Duration;
import java.util.function.LongUnaryOperator;

/**
 * Exponential backoff with jitter: attempt {@code n} waits between half and all of
 * {@code min(max, initial * 2^n)}, so clients that lost the same server do not all come back at
 * once. Immutable and thread-safe.
 *
 * <p>Not API.
 */
final class Backoff {
    private final long initialMillis;
    private final long maxMillis;
    private final LongUnaryOperator random;

    /**
     * Creates the backoff.
     *
     * @param initial the first backoff, positive
     * @param max the largest backoff, at least {@code initial}
     * @param random given a bound {@code b}, a random number from 0 to {@code b} inclusive
     */
    public Backoff(Duration initial, Duration max, LongUnaryOperator random) {
        this.initialMillis = Math.max(1, initial.toMillis());
        this.maxMillis = Math.max(initialMillis, max.toMillis());
        this.random = random;
    }

    /**
     * The wait before a reconnect attempt.
     *
     * @param attempt how many attempts failed in a row, from 0
     * @return the wait in milliseconds
     */
    public long delayMillis(int attempt) {
        long base = maxMillis;
        if (attempt >= 0 && attempt < 62) {
            long scaled = initialMillis << attempt;
            if (scaled > 0 && scaled >>> attempt == initialMillis) {
                base = Math.min(maxMillis, scaled);
            }
        }
        return base / 2 + random.applyAsLong(base / 2);
    }
}
