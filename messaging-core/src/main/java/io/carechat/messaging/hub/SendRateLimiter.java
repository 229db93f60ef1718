package io.carechat.messaging.hub;

import io.carechat.messaging.model.UserId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per user for {@code send} frames, on the injected clock: {@code burst} tokens,
 * refilled at {@code ratePerSecond}. Buckets live while the user has sessions on this hub.
 * Thread-safe.
 */
final class SendRateLimiter {
    private final Clock clock;
    private final double ratePerNano;
    private final double burst;
    private final Map<UserId, Bucket> buckets = new ConcurrentHashMap<>();

    SendRateLimiter(Clock clock, int ratePerSecond, int burst) {
        this.clock = clock;
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
    }

    /** Takes one token from the user's bucket; false when it is empty. */
    boolean tryAcquire(UserId user) {
        return buckets.computeIfAbsent(user, u -> new Bucket(clock.instant())).tryTake(clock.instant());
    }

    /** Forgets the user's bucket, when their last session closed. */
    void forget(UserId user) {
        buckets.remove(user);
    }

    private final class Bucket {
        private double tokens = burst;
        private Instant last;

        Bucket(Instant now) {
            this.last = now;
        }

        synchronized boolean tryTake(Instant now) {
            if (now.isAfter(last)) {
                long nanos = saturatedNanos(Duration.between(last, now));
                tokens = Math.min(burst, tokens + nanos * ratePerNano);
                last = now;
            }
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }

        private static long saturatedNanos(Duration d) {
            return d.compareTo(Duration.ofDays(1)) > 0 ? Duration.ofDays(1).toNanos() : d.toNanos();
        }
    }
}
