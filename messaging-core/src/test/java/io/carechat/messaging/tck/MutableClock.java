package io.carechat.messaging.tck;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A UTC clock that tests move by hand, for code that takes an injected {@link Clock} (token
 * expiry, retention ages, throttling windows). Thread-safe.
 */
public final class MutableClock extends Clock {
    private volatile Instant now;

    /**
     * Creates the clock.
     *
     * @param start the instant it shows until moved
     */
    public MutableClock(Instant start) {
        this.now = start;
    }

    /**
     * Moves the clock forward (or back, with a negative duration).
     *
     * @param by how far
     */
    public synchronized void advance(Duration by) {
        now = now.plus(by);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the test clock stays in UTC");
    }

    @Override
    public Instant instant() {
        return now;
    }
}
