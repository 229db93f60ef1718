package io.carechat.messaging.internal;

import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.event.Resync;
import io.carechat.messaging.event.SessionsRevoked;
import io.carechat.messaging.spi.EventBus;
import io.carechat.messaging.spi.UserStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The stored roles of users, remembered so that an audited send finds its patient without a store
 * read. A role change or a disabled account publishes {@link SessionsRevoked} for the user, on
 * every node through the bus; that event makes this class forget the user, so the next lookup
 * reads the store again. A {@link Resync} (a node that lost its bus link) forgets everyone. At most
 * {@link #CAPACITY} users are remembered; beyond that the memory is emptied. Not API.
 * Thread-safe. Lifecycle: listens to the bus from creation until {@link #close()}.
 */
public final class UserRoles implements AutoCloseable {
    /** The most users remembered at once. */
    public static final int CAPACITY = 100_000;

    private final UserStore users;
    private final Map<UserId, Set<Role>> roles = new ConcurrentHashMap<>();
    /** Counts forgetting, so a lookup that raced a role change does not remember a stale answer. */
    private final AtomicLong changes = new AtomicLong();
    private final EventBus.Subscription subscription;

    /**
     * Creates the memory and subscribes it to the bus.
     *
     * @param users the user store
     * @param bus the bus carrying {@link SessionsRevoked} and {@link Resync}
     */
    public UserRoles(UserStore users, EventBus bus) {
        this.users = users;
        this.subscription = bus.subscribe(event -> {
            if (event instanceof SessionsRevoked revoked) {
                changes.incrementAndGet();
                roles.remove(revoked.userId());
            } else if (event instanceof Resync) {
                changes.incrementAndGet();
                roles.clear();
            }
        });
    }

    /**
     * The users among {@code ids} who hold a role, reading the store only for users not
     * remembered (in one call).
     *
     * @param ids the users
     * @param role the role
     * @return those holding it, in the order given; unknown users are left out
     */
    public List<UserId> holding(List<UserId> ids, Role role) {
        List<UserId> unknown = null;
        for (UserId id : ids) {
            if (!roles.containsKey(id)) {
                if (unknown == null) {
                    unknown = new ArrayList<>();
                }
                unknown.add(id);
            }
        }
        if (unknown != null) {
            remember(unknown);
        }
        List<UserId> holders = new ArrayList<>();
        for (UserId id : ids) {
            Set<Role> held = roles.get(id);
            if (held == null) {
                held = users.find(id).map(User::roles).orElse(Set.of());
            }
            if (held.contains(role)) {
                holders.add(id);
            }
        }
        return holders;
    }

    private void remember(List<UserId> ids) {
        long before = changes.get();
        List<User> found = users.findAll(ids);
        if (roles.size() + found.size() > CAPACITY) {
            roles.clear();
        }
        for (User user : found) {
            roles.put(user.id(), Set.copyOf(user.roles()));
        }
        if (changes.get() != before) {
            for (User user : found) {
                roles.remove(user.id());
            }
        }
    }

    /** Stops listening to the bus. Idempotent. */
    @Override
    public void close() {
        subscription.close();
    }
}
