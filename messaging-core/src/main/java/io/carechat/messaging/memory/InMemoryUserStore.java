package io.carechat.messaging.memory;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.error.ConflictException;
import io.carechat.messaging.error.NotFoundException;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.StoredCredentials;
import io.carechat.messaging.spi.UserStore;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/** Users in maps; every change holds the store's lock so uniqueness checks are atomic. */
final class InMemoryUserStore implements UserStore {
    private static final Comparator<User> BY_DISPLAY_NAME =
            Comparator.comparing(User::displayName).thenComparing(u -> lower(u.username()));

    private final Map<UserId, StoredCredentials> byId = new HashMap<>();
    private final Map<String, UserId> byUsername = new HashMap<>();
    private final Map<String, UserId> byEmail = new HashMap<>();
    private final Map<UserId, Instant> validAfter = new HashMap<>();

    @Override
    public synchronized User create(User user, String passwordHash) {
        requireNonNull(user, "user");
        requireNonNull(passwordHash, "passwordHash");
        String username = lower(user.username());
        String email = lower(user.email());
        if (byId.containsKey(user.id())) {
            throw new ConflictException("user id is taken");
        }
        if (byUsername.containsKey(username)) {
            throw new ConflictException("username is taken");
        }
        if (byEmail.containsKey(email)) {
            throw new ConflictException("email is taken");
        }
        byId.put(user.id(), new StoredCredentials(user, passwordHash));
        byUsername.put(username, user.id());
        byEmail.put(email, user.id());
        return user;
    }

    @Override
    public synchronized Instant revokeTokensIssuedBefore(UserId id, Instant instant) {
        requireNonNull(id, "id");
        requireNonNull(instant, "instant");
        if (!byId.containsKey(id)) {
            throw new NotFoundException("no such user");
        }
        return validAfter.merge(id, instant, (stored, given) -> given.isAfter(stored) ? given : stored);
    }

    @Override
    public synchronized Optional<Instant> tokensValidAfter(UserId id) {
        requireNonNull(id, "id");
        return Optional.ofNullable(validAfter.get(id));
    }

    @Override
    public synchronized Optional<User> find(UserId id) {
        return Optional.ofNullable(byId.get(id)).map(StoredCredentials::user);
    }

    @Override
    public synchronized List<User> findAll(Collection<UserId> ids) {
        return ids.stream().distinct().map(byId::get).filter(c -> c != null).map(StoredCredentials::user).toList();
    }

    @Override
    public synchronized Optional<StoredCredentials> findCredentials(String login) {
        String key = lower(requireNonNull(login, "login"));
        UserId id = byUsername.get(key);
        if (id == null) {
            id = byEmail.get(key);
        }
        return id == null ? Optional.empty() : Optional.of(byId.get(id));
    }

    @Override
    public synchronized void setPasswordHash(UserId id, String passwordHash) {
        requireNonNull(passwordHash, "passwordHash");
        StoredCredentials stored = existing(id);
        byId.put(id, new StoredCredentials(stored.user(), passwordHash));
    }

    @Override
    public synchronized User setRoles(UserId id, Set<Role> roles) {
        return change(id, user -> user.withRoles(roles));
    }

    @Override
    public synchronized User updateProfile(UserId id, String username, String email, String displayName) {
        requireNonNull(username, "username");
        requireNonNull(email, "email");
        requireNonNull(displayName, "displayName");
        StoredCredentials stored = existing(id);
        UserId usernameHolder = byUsername.get(lower(username));
        if (usernameHolder != null && !usernameHolder.equals(id)) {
            throw new ConflictException("username is taken");
        }
        UserId emailHolder = byEmail.get(lower(email));
        if (emailHolder != null && !emailHolder.equals(id)) {
            throw new ConflictException("email is taken");
        }
        User before = stored.user();
        User after = new User(id, username, email, displayName, before.roles(), before.enabled(), before.createdAt());
        byUsername.remove(lower(before.username()));
        byEmail.remove(lower(before.email()));
        byUsername.put(lower(username), id);
        byEmail.put(lower(email), id);
        byId.put(id, new StoredCredentials(after, stored.passwordHash()));
        return after;
    }

    @Override
    public synchronized User setEnabled(UserId id, boolean enabled) {
        return change(id, user -> user.withEnabled(enabled));
    }

    @Override
    public synchronized List<User> findEnabledWithAnyRole(Set<Role> roles, int limit) {
        return byId.values().stream()
                .map(StoredCredentials::user)
                .filter(u -> u.enabled() && u.roles().stream().anyMatch(roles::contains))
                .sorted(BY_DISPLAY_NAME)
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized List<User> list(@Nullable String afterUsername, int limit) {
        String after = afterUsername == null ? null : lower(afterUsername);
        return byId.values().stream()
                .map(StoredCredentials::user)
                .filter(u -> after == null || lower(u.username()).compareTo(after) > 0)
                .sorted(Comparator.comparing(u -> lower(u.username())))
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized long count() {
        return byId.size();
    }

    private User change(UserId id, UnaryOperator<User> change) {
        StoredCredentials stored = existing(id);
        User changed = change.apply(stored.user());
        byId.put(id, new StoredCredentials(changed, stored.passwordHash()));
        return changed;
    }

    private StoredCredentials existing(UserId id) {
        StoredCredentials stored = byId.get(requireNonNull(id, "id"));
        if (stored == null) {
            throw new NotFoundException("user not found");
        }
        return stored;
    }

    private static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }
}
