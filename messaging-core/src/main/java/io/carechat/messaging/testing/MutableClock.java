package io.carechat.messaging.testing;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A UTC clock that a test moves by hand, for the tests of embedding applications and of adapters:
 * CareChat takes its time from an injected {@link Clock} (token expiry, retention ages, throttling
 * windows), so a test hands this one to {@code Messaging.builder().clock(...)} and moves it instead
 * of sleeping. Not for production use.
 *
 * <p>Thread-safe: every thread sees the instant set last. Lifecycle: create one per test; it holds
 * nothing to close.
 */
public final class MutableClock extends Clock {
    private volatile Instant now;

    /**
     * Creates the clock.
     *
     * @param start the instant it shows until moved
     */
    public MutableClock(Instant start) {
        this.now = requireNonNull(start, "start");
    }

    /**
     * Moves the clock forward (or back, with a negative duration).
     *
     * @param by how far
     */
    public synchronized void advance(Duration by) {
        now = now.plus(requireNonNull(by, "by"));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /**
     * Not supported: the clock stays in UTC.
     *
     * @param zone ignored
     * @return never
     * @throws UnsupportedOperationException always
     */
    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the test clock stays in UTC");
    }

    @Override
    public Instant instant() {
        return now;
    }
}
