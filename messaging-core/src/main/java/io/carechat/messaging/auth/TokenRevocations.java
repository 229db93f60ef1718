package io.carechat.messaging.auth;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.event.Resync;
import io.carechat.messaging.event.SessionsRevoked;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.EventBus;
import io.carechat.messaging.spi.UserStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Each user's "valid after" instant: an access token issued before it is refused. Logout,
 * disabling an account and changing its roles move it to the moment they happen
 * ({@link #revoke}), in the {@link UserStore}, so it holds on every node.
 *
 * <p>Checking a token must not cost a store read per call, so the instant is remembered per user.
 * It stays coherent: the node that revokes remembers the new instant at once; every revocation is
 * followed by {@link SessionsRevoked} on the event bus, on which every node forgets the user and
 * reads the store again at the next check; a {@link Resync} (a node that may have lost events)
 * forgets everyone. At most {@link #CAPACITY} users are remembered; beyond that the memory is
 * emptied.
 *
 * <p>Times are compared to the millisecond: CareChat's tokens carry their issue time to the
 * millisecond (the {@code iat_ms} claim beside the whole-second {@code iat}), and a revocation
 * refuses every token issued up to and including its millisecond, so a token issued the next
 * millisecond, even within the same second (a login right after a logout), is accepted.
 *
 * <p>Thread-safe. Lifecycle: {@link #create} subscribes to the bus; {@link #close()} unsubscribes.
 * {@link #none()} tracks nothing, for a token service used without user storage.
 */
public final class TokenRevocations implements AutoCloseable {
    /** The most users remembered at once. */
    public static final int CAPACITY = 100_000;

    private static final Instant NEVER = Instant.MIN;

    private final @Nullable UserStore users;
    private final EventBus.@Nullable Subscription subscription;
    private final Map<UserId, Instant> validAfter = new ConcurrentHashMap<>();
    /** Counts forgetting, so a lookup that raced a revocation does not remember a stale answer. */
    private final AtomicLong changes = new AtomicLong();

    private TokenRevocations(@Nullable UserStore users, @Nullable EventBus bus) {
        this.users = users;
        this.subscription = bus == null ? null : bus.subscribe(event -> {
            if (event instanceof SessionsRevoked revoked) {
                changes.incrementAndGet();
                validAfter.remove(revoked.userId());
            } else if (event instanceof Resync) {
                changes.incrementAndGet();
                validAfter.clear();
            }
        });
    }

    /**
     * Tracks revocations in a user store, coherent across nodes through the bus.
     *
     * @param users the store holding each user's instant
     * @param bus the bus carrying {@link SessionsRevoked} and {@link Resync}
     * @return the tracker, subscribed
     */
    public static TokenRevocations create(UserStore users, EventBus bus) {
        return new TokenRevocations(requireNonNull(users, "users"), requireNonNull(bus, "bus"));
    }

    /**
     * Tracks nothing: every token holds until it expires, and {@link #revoke} is refused.
     *
     * @return the tracker
     */
    public static TokenRevocations none() {
        return new TokenRevocations(null, null);
    }

    /**
     * Tells whether revocations are tracked ({@link #create}) or not ({@link #none()}).
     *
     * @return true when tracked
     */
    public boolean isTracking() {
        return users != null;
    }

    /**
     * Tells whether a token of a user, issued at a time, was revoked. Reads the store only for a
     * user not remembered.
     *
     * @param userId the token's subject
     * @param issuedAt when the token was issued, to the millisecond
     * @return true when it was issued before the user's valid-after instant
     */
    public boolean isRevoked(UserId userId, Instant issuedAt) {
        requireNonNull(userId, "userId");
        requireNonNull(issuedAt, "issuedAt");
        if (users == null) {
            return false;
        }
        Instant after = validAfter.get(userId);
        if (after == null) {
            after = remember(userId, users);
        }
        return issuedAt.isBefore(after);
    }

    /**
     * The issue time a new token of the user carries: now, or the user's valid-after instant when a
     * revocation in this same millisecond put that later, so a login right after a logout or a
     * role change (within its millisecond) gets a token that holds.
     *
     * @param userId the token's subject
     * @param now the moment of issue, to the millisecond
     * @return the issue time to sign
     */
    Instant issueTime(UserId userId, Instant now) {
        if (users == null) {
            return now;
        }
        Instant after = validAfter.get(userId);
        if (after == null) {
            after = remember(userId, users);
        }
        return after.isAfter(now) ? after : now;
    }

    /**
     * Refuses every token of the user issued up to now (to the millisecond), in the store and in
     * this node's memory. The caller publishes {@link SessionsRevoked} afterwards, so other nodes
     * forget what they remember.
     *
     * @param userId the user
     * @param now the moment of the revocation
     * @return the user's valid-after instant afterwards
     * @throws IllegalStateException when revocations are not tracked
     */
    Instant revoke(UserId userId, Instant now) {
        UserStore store = requireStore();
        Instant instant = store.revokeTokensIssuedBefore(userId, now.truncatedTo(ChronoUnit.MILLIS).plusMillis(1));
        changes.incrementAndGet();
        validAfter.merge(userId, instant, (held, given) -> given.isAfter(held) ? given : held);
        return instant;
    }

    /**
     * The user's valid-after instant as stored now, bypassing the memory.
     *
     * @param userId the user
     * @return the instant, or empty when never revoked or not tracked
     */
    Optional<Instant> stored(UserId userId) {
        return users == null ? Optional.empty() : users.tokensValidAfter(userId);
    }

    private Instant remember(UserId userId, UserStore store) {
        long before = changes.get();
        Instant found = store.tokensValidAfter(userId).orElse(NEVER);
        if (validAfter.size() >= CAPACITY) {
            validAfter.clear();
        }
        validAfter.put(userId, found);
        if (changes.get() != before) {
            validAfter.remove(userId);
        }
        return found;
    }

    private UserStore requireStore() {
        if (users == null) {
            throw new IllegalStateException("revocations are not tracked (TokenRevocations.none())");
        }
        return users;
    }

    /** Stops listening to the bus. Idempotent. */
    @Override
    public void close() {
        if (subscription != null) {
            subscription.close();
        }
    }
}
