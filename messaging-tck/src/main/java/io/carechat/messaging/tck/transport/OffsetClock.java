package io.carechat.messaging.tck.transport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The system clock plus an offset a test moves forward, so that a hub's timers keep running on
 * real time while a token's expiry is reached at once. Thread-safe; the offset only grows.
 */
public final class OffsetClock extends Clock {
    private volatile Duration offset = Duration.ZERO;

    /**
     * Moves the clock forward.
     *
     * @param by how far, not negative
     */
    public void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("the clock only moves forward");
        }
        synchronized (this) {
            offset = offset.plus(by);
        }
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
        return Instant.now().plus(offset);
    }
}
