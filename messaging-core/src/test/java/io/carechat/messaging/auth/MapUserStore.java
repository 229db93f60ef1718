package io.carechat.messaging.auth;

import io.carechat.messaging.ConflictException;
import io.carechat.messaging.NotFoundException;
import io.carechat.messaging.Role;
import io.carechat.messaging.User;
import io.carechat.messaging.UserId;
import io.carechat.messaging.spi.StoredCredentials;
import io.carechat.messaging.spi.UserStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** A small user store over a map, for testing {@link Accounts} on its own. Thread-safe. */
final class MapUserStore implements UserStore {
    private final Map<UserId, StoredCredentials> byId = new LinkedHashMap<>();

    @Override
    public synchronized User create(User user, String passwordHash) {
        for (StoredCredentials c : byId.values()) {
            if (c.user().username().equalsIgnoreCase(user.username())) {
                throw new ConflictException("username is taken");
            }
            if (c.user().email().equalsIgnoreCase(user.email())) {
                throw new ConflictException("e-mail address is taken");
            }
        }
        byId.put(user.id(), new StoredCredentials(user, passwordHash));
        return user;
    }

    @Override
    public synchronized Optional<User> find(UserId id) {
        return Optional.ofNullable(byId.get(id)).map(StoredCredentials::user);
    }

    @Override
    public synchronized List<User> findAll(Collection<UserId> ids) {
        return ids.stream().map(byId::get).filter(c -> c != null).map(StoredCredentials::user).toList();
    }

    @Override
    public synchronized Optional<StoredCredentials> findCredentials(String login) {
        String lower = login.toLowerCase(Locale.ROOT);
        return byId.values().stream()
                .filter(c -> c.user().username().toLowerCase(Locale.ROOT).equals(lower)
                        || c.user().email().toLowerCase(Locale.ROOT).equals(lower))
                .findFirst();
    }

    @Override
    public synchronized void setPasswordHash(UserId id, String passwordHash) {
        StoredCredentials c = existing(id);
        byId.put(id, new StoredCredentials(c.user(), passwordHash));
    }

    @Override
    public synchronized User setRoles(UserId id, Set<Role> roles) {
        StoredCredentials c = existing(id);
        User changed = c.user().withRoles(roles);
        byId.put(id, new StoredCredentials(changed, c.passwordHash()));
        return changed;
    }

    @Override
    public synchronized User setEnabled(UserId id, boolean enabled) {
        StoredCredentials c = existing(id);
        User changed = c.user().withEnabled(enabled);
        byId.put(id, new StoredCredentials(changed, c.passwordHash()));
        return changed;
    }

    @Override
    public synchronized List<User> findEnabledWithAnyRole(Set<Role> roles, int limit) {
        return byId.values().stream().map(StoredCredentials::user)
                .filter(u -> u.enabled() && u.roles().stream().anyMatch(roles::contains))
                .limit(limit).toList();
    }

    @Override
    public synchronized List<User> list(@Nullable String afterUsername, int limit) {
        List<User> all = new ArrayList<>(byId.values().stream().map(StoredCredentials::user).toList());
        all.sort(Comparator.comparing(u -> u.username().toLowerCase(Locale.ROOT)));
        return all.stream()
                .filter(u -> afterUsername == null
                        || u.username().toLowerCase(Locale.ROOT).compareTo(afterUsername.toLowerCase(Locale.ROOT)) > 0)
                .limit(limit).toList();
    }

    @Override
    public synchronized long count() {
        return byId.size();
    }

    synchronized String passwordHash(UserId id) {
        return existing(id).passwordHash();
    }

    private StoredCredentials existing(UserId id) {
        StoredCredentials c = byId.get(id);
        if (c == null) {
            throw new NotFoundException("no such user");
        }
        return c;
    }
}
