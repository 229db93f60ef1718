package io.carechat.examples.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A token bucket per client address, for requests anyone may make without an account (such as
 * registration): each address may make {@code perMinute} of them at once, and earns them back
 * evenly over a minute. At most {@link #MAX_ADDRESSES} addresses are remembered; the one unseen
 * the longest is forgotten first, so a flood of addresses costs bounded memory. Thread-safe.
 */
public final class AddressRateLimiter {
    /** The most addresses remembered at once. */
    static final int MAX_ADDRESSES = 10_000;

    private static final long NANOS_PER_MINUTE = 60_000_000_000L;

    private final int perMinute;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new LinkedHashMap<>(256, 0.75f, true) {
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
        long now = nanoTime.getAsLong();
        synchronized (buckets) {
            Bucket bucket = buckets.computeIfAbsent(address, a -> new Bucket(perMinute, now));
            bucket.refill(now, perMinute);
            if (bucket.tokens < 1) {
                return false;
            }
            bucket.tokens -= 1;
            return true;
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
                updatedAt = now;
            }
        }
    }
}
