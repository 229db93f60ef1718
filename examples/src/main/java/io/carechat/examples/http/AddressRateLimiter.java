package io.carechat.examples.http;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A token bucket per client address, for requests anyone may make without an account (such as
 * registration, logins, refreshes, WebSocket upgrades): each address may make {@code perMinute} of
 * them at once, and earns them back evenly over a minute. Memory stays bounded two ways: an
 * address unseen for a minute has a full bucket again, so it is forgotten (which changes nothing);
 * and at most {@link #MAX_ADDRESSES} addresses are remembered, the one unseen the longest forgotten
 * first, so even a flood of fresh addresses costs bounded memory. Thread-safe; lives as long as the
 * server that holds it.
 */
public final class AddressRateLimiter {
    /** The most addresses remembered at once. */
    static final int MAX_ADDRESSES = 10_000;

    private static final long NANOS_PER_MINUTE = 60_000_000_000L;

    private final int perMinute;
    private final LongSupplier nanoTime;
    private final LinkedHashMap<String, Bucket> buckets = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    /**
     * Creates a limiter on the system's monotonic clock.
     *
     * @param perMinute requests per address per minute, at least 1
     */
    public AddressRateLimiter(int perMinute) {
        this(perMinute, System::nanoTime);
    }

    AddressRateLimiter(int perMinute, LongSupplier nanoTime) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("perMinute must be at least 1");
        }
        this.perMinute = perMinute;
        this.nanoTime = nanoTime;
    }

    /**
     * Takes one request from an address's budget.
     *
     * @param address the client's address
     * @return true when allowed, false when the address has used its budget
     */
    public boolean tryAcquire(String address) {
        return acquire(address) == 0;
    }

    /**
     * Takes one request from an address's budget, or tells how long until one is back.
     *
     * @param address the client's address
     * @return 0 when allowed; otherwise the whole seconds, at least 1, until the next request may
     *     be allowed
     */
    public long acquire(String address) {
        long now = nanoTime.getAsLong();
        synchronized (buckets) {
            forgetIdle(now);
            Bucket bucket = buckets.computeIfAbsent(address, a -> new Bucket(perMinute, now));
            bucket.refill(now, perMinute);
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return 0;
            }
            double missingNanos = (1 - bucket.tokens) * NANOS_PER_MINUTE / perMinute;
            return Math.max(1, (long) Math.ceil(missingNanos / 1e9));
        }
    }

    /** How many addresses are remembered now; for tests of the memory bound. */
    int size() {
        synchronized (buckets) {
            return buckets.size();
        }
    }

    /** Drops the addresses unseen for a minute, oldest first; the access order puts them in front. */
    private void forgetIdle(long now) {
        Iterator<Bucket> oldestFirst = buckets.values().iterator();
        while (oldestFirst.hasNext()) {
            if (now - oldestFirst.next().updatedAt < NANOS_PER_MINUTE) {
                return;
            }
            oldestFirst.remove();
        }
    }

    private static final class Bucket {
        double tokens;
        long updatedAt;

        Bucket(double tokens, long updatedAt) {
            this.tokens = tokens;
            this.updatedAt = updatedAt;
        }

        void refill(long now, int perMinute) {
            long elapsed = now - updatedAt;
            if (elapsed > 0) {
                tokens = Math.min(perMinute, tokens + (double) elapsed * perMinute / NANOS_PER_MINUTE);
            }
            updatedAt = now;
        }
    }
}
