package io.carechat.messaging.internal;

import io.carechat.messaging.error.ForbiddenException;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.event.SessionsRevoked;
import io.carechat.messaging.spi.EventBus;
import io.carechat.messaging.spi.UserStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Refuses calls by a caller whose account is disabled or gone, without a store lookup on every
 * call. It remembers, for at most {@link #CONFIRMATION_TTL}, that a user was found enabled; a
 * remembered user passes with no lookup, any other is looked up once. A {@link SessionsRevoked}
 * event for a user (disabling publishes one with {@link SessionsRevoked.Reason#DISABLED}, on every
 * node through the bus) forgets them at once, so their next call is looked up and refused. An
 * account disabled directly in the store, without the event, is refused at the latest
 * {@link #CONFIRMATION_TTL} later. At most {@link #CAPACITY} users are remembered; beyond that the
 * memory is emptied, which costs one lookup per active user. Not API. Thread-safe. Lifecycle:
 * listens to the bus from creation until {@link #close()}.
 */
public final class ActiveCallers implements AutoCloseable {
    /** How long a user found enabled is trusted without looking again. */
    public static final Duration CONFIRMATION_TTL = Duration.ofSeconds(30);
    /** The most users remembered at once. */
    public static final int CAPACITY = 10_000;

    private final UserStore users;
    private final Clock clock;
    private final Map<UserId, Instant> confirmedUntil = new ConcurrentHashMap<>();
    /** Counts revocations, so a lookup that raced one does not remember a stale answer. */
    private final AtomicLong revocations = new AtomicLong();
    private final EventBus.Subscription subscription;

    /**
     * Creates the check and subscribes it to the bus.
     *
     * @param users the user store
     * @param bus the bus carrying {@link SessionsRevoked}
     * @param clock the time source
     */
    public ActiveCallers(UserStore users, EventBus bus, Clock clock) {
        this.users = users;
        this.clock = clock;
        this.subscription = bus.subscribe(event -> {
            if (event instanceof SessionsRevoked revoked) {
                revocations.incrementAndGet();
                confirmedUntil.remove(revoked.userId());
            }
        });
    }

    /**
     * Lets the call go on only if the caller's account exists and is enabled.
     *
     * @param callerId the authenticated user
     * @throws ForbiddenException if the account is disabled or gone
     */
    public void require(UserId callerId) {
        Instant now = clock.instant();
        Instant until = confirmedUntil.get(callerId);
        if (until != null && now.isBefore(until)) {
            return;
        }
        long revocationsBefore = revocations.get();
        boolean enabled = users.find(callerId).map(User::enabled).orElse(false);
        if (!enabled) {
            confirmedUntil.remove(callerId);
            throw new ForbiddenException(ActiveUsers.NOT_ACTIVE);
        }
        if (confirmedUntil.size() >= CAPACITY) {
            confirmedUntil.clear();
        }
        confirmedUntil.put(callerId, now.plus(CONFIRMATION_TTL));
        if (revocations.get() != revocationsBefore) {
            confirmedUntil.remove(callerId);
        }
    }

    /** Stops listening to the bus. Idempotent. */
    @Override
    public void close() {
        subscription.close();
    }
}
