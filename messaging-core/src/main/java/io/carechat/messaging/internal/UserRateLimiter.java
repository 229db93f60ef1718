package io.carechat.messaging.internal;

import io.carechat.messaging.error.RateLimitedException;
import io.carechat.messaging.metrics.MessagingMetrics;
import io.carechat.messaging.model.Rate;
import io.carechat.messaging.model.UserId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One kind of per-user rate limit (sends, typing notices, presence changes, history pages), as a
 * token bucket per user on the injected clock. The facade holds one per kind, so every transport
 * (the hub's sockets, an HTTP API) draws on the same budget. A bucket that has refilled completely
 * is dropped on a periodic sweep, so memory stays bounded by the users active within a refill time.
 * Not API. Thread-safe. Lifecycle: lives as long as the facade.
 */
public final class UserRateLimiter {
    private static final int SWEEP_EVERY = 1024;

    private final String name;
    private final MessagingMetrics metrics;
    private final Clock clock;
    private final double ratePerNano;
    private final double burst;
    private final Duration refillTime;
    private final Map<UserId, Bucket> buckets = new ConcurrentHashMap<>();
    private final AtomicInteger untilSweep = new AtomicInteger(SWEEP_EVERY);

    /**
     * Creates a limiter.
     *
     * @param name what is limited, as named in the refusal, such as {@code send}
     * @param clock the time source
     * @param rate the rate and burst per user
     * @param metrics where each refusal is counted, by the limit's name
     */
    public UserRateLimiter(String name, Clock clock, Rate rate, MessagingMetrics metrics) {
        this.name = name;
        this.metrics = metrics;
        this.clock = clock;
        this.ratePerNano = rate.perSecond() / 1e9;
        this.burst = rate.burst();
        this.refillTime = Duration.ofNanos((long) Math.ceil(rate.burst() / ratePerNano));
    }

    /**
     * Takes one token from the user's bucket.
     *
     * @param user the user
     * @throws RateLimitedException naming the limit when the bucket is empty
     */
    public void acquire(UserId user) {
        Instant now = clock.instant();
        if (untilSweep.decrementAndGet() <= 0) {
            untilSweep.set(SWEEP_EVERY);
            buckets.values().removeIf(b -> b.fullAt(now));
        }
        if (!buckets.computeIfAbsent(user, u -> new Bucket(now)).tryTake(now)) {
            metrics.rateLimited(name);
            throw new RateLimitedException(name + " rate exceeded; try again later");
        }
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

        synchronized boolean fullAt(Instant now) {
            return !Duration.between(last, now).minus(refillTime).isNegative();
        }

        private static long saturatedNanos(Duration d) {
            return d.compareTo(Duration.ofDays(1)) > 0 ? Duration.ofDays(1).toNanos() : d.toNanos();
        }
    }
}
