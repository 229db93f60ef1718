package io.carechat.messaging.internal;

import io.carechat.messaging.model.Presence;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.event.PresenceChanged;
import io.carechat.messaging.spi.EventBus;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Knows every user's current availability by listening to {@link PresenceChanged} events on the
 * bus, so a change made on any node is seen on every node. Not API. Thread-safe. Lifecycle: starts
 * listening when created, stops on {@link #close()}.
 */
public final class PresenceRegistry implements AutoCloseable {
    private final Map<UserId, Presence> current = new ConcurrentHashMap<>();
    private final EventBus bus;
    private final EventBus.Subscription subscription;

    /**
     * Creates the registry and subscribes it to the bus.
     *
     * @param bus the event bus
     */
    public PresenceRegistry(EventBus bus) {
        this.bus = bus;
        this.subscription = bus.subscribe(event -> {
            if (event instanceof PresenceChanged changed) {
                remember(changed.userId(), changed.presence());
            }
        });
    }

    private void remember(UserId userId, Presence presence) {
        if (presence == Presence.OFFLINE) {
            current.remove(userId);
        } else {
            current.put(userId, presence);
        }
    }

    /**
     * Announces a user's new availability on the bus; the registry learns it from there.
     *
     * @param userId the user
     * @param presence the availability
     */
    public void announce(UserId userId, Presence presence) {
        bus.publish(new PresenceChanged(userId, presence));
    }

    /**
     * A user's availability.
     *
     * @param userId the user
     * @return the last announced availability, {@link Presence#OFFLINE} when none
     */
    public Presence of(UserId userId) {
        return current.getOrDefault(userId, Presence.OFFLINE);
    }

    /** Stops listening to the bus. Idempotent. */
    @Override
    public void close() {
        subscription.close();
    }
}
