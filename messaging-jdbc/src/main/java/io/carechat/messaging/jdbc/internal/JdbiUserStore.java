package io.carechat.messaging.jdbc.internal;

import static io.carechat.messaging.jdbc.internal.StorageFailures.call;
import static java.util.Objects.requireNonNull;

import io.carechat.messaging.error.ConflictException;
import io.carechat.messaging.error.NotFoundException;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.StoredCredentials;
import io.carechat.messaging.spi.UserStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.Query;
import org.jspecify.annotations.Nullable;

/**
 * {@link UserStore} on the {@code users} table. Usernames and e-mail addresses are unique through
 * their lower-case columns. Not API. Thread-safe: every call runs on its own handle.
 */
public final class JdbiUserStore implements UserStore {
    private final Jdbi jdbi;
    private final SqlTemplates sql;
    private final Dialect dialect;

    /**
     * Creates the store.
     *
     * @param jdbi the configured Jdbi
     * @param sql the table-name renderer
     * @param dialect what differs on this database
     */
    public JdbiUserStore(Jdbi jdbi, SqlTemplates sql, Dialect dialect) {
        this.jdbi = requireNonNull(jdbi, "jdbi");
        this.sql = requireNonNull(sql, "sql");
        this.dialect = requireNonNull(dialect, "dialect");
    }

    @Override
    public User create(User user, String passwordHash) {
        requireNonNull(user, "user");
        requireNonNull(passwordHash, "passwordHash");
        User stored = new User(user.id(), user.username(), user.email(), user.displayName(),
                user.roles(), user.enabled(), dialect.truncate(user.createdAt()));
        return call(() -> {
            try {
                jdbi.useHandle(h -> h.createUpdate(sql.render(
                                "INSERT INTO ${p}users (id, username, username_lower, email, email_lower,"
                                        + " display_name, roles, enabled, password_hash, created_at)"
                                        + " VALUES (:id, :username, :usernameLower, :email, :emailLower,"
                                        + " :displayName, :roles, :enabled, :passwordHash, :createdAt)"))
                        .bind("id", stored.id().value())
                        .bind("username", stored.username())
                        .bind("usernameLower", lower(stored.username()))
                        .bind("email", stored.email())
                        .bind("emailLower", lower(stored.email()))
                        .bind("displayName", stored.displayName())
                        .bind("roles", Rows.rolesColumn(stored.roles()))
                        .bind("enabled", stored.enabled())
                        .bind("passwordHash", passwordHash)
                        .bind("createdAt", dialect.timestamp(stored.createdAt()))
                        .execute());
            } catch (JdbiException e) {
                if (dialect.isUniqueViolation(e)) {
                    throw conflictFor(stored);
                }
                throw e;
            }
            return stored;
        });
    }

    private ConflictException conflictFor(User user) {
        boolean usernameTaken = jdbi.withHandle(h -> h.createQuery(sql.render(
                        "SELECT COUNT(*) FROM ${p}users WHERE username_lower = :u"))
                .bind("u", lower(user.username()))
                .mapTo(Long.class)
                .one()) > 0;
        if (usernameTaken) {
            return new ConflictException("username is taken");
        }
        boolean emailTaken = jdbi.withHandle(h -> h.createQuery(sql.render(
                        "SELECT COUNT(*) FROM ${p}users WHERE email_lower = :e"))
                .bind("e", lower(user.email()))
                .mapTo(Long.class)
                .one()) > 0;
        return new ConflictException(emailTaken ? "email is taken" : "user id is taken");
    }

    @Override
    public Optional<User> find(UserId id) {
        requireNonNull(id, "id");
        return call(() -> jdbi.withHandle(h -> findUser(h, id)));
    }

    private Optional<User> findUser(Handle h, UserId id) {
        return h.createQuery(sql.render("SELECT " + Rows.USER_COLUMNS + " FROM ${p}users WHERE id = :id"))
                .bind("id", id.value())
                .map(Rows.USER)
                .findOne();
    }

    @Override
    public List<User> findAll(Collection<UserId> ids) {
        requireNonNull(ids, "ids");
        List<UserId> distinct = new ArrayList<>(new LinkedHashSet<>(ids));
        if (distinct.isEmpty()) {
            return List.of();
        }
        return call(() -> jdbi.withHandle(h -> {
            Query query = h.createQuery(sql.render("SELECT " + Rows.USER_COLUMNS
                    + " FROM ${p}users WHERE id IN (" + SqlTemplates.parameterList("id", distinct.size()) + ")"));
            for (int i = 0; i < distinct.size(); i++) {
                query.bind("id" + i, distinct.get(i).value());
            }
            return query.map(Rows.USER).list();
        }));
    }

    @Override
    public Optional<StoredCredentials> findCredentials(String login) {
        requireNonNull(login, "login");
        String key = lower(login);
        return call(() -> jdbi.withHandle(h -> h.createQuery(sql.render("SELECT " + Rows.USER_COLUMNS
                        + ", password_hash FROM ${p}users WHERE username_lower = :login OR email_lower = :login"
                        + " ORDER BY CASE WHEN username_lower = :login THEN 0 ELSE 1 END"))
                .bind("login", key)
                .map((rs, ctx) -> new StoredCredentials(Rows.user(rs), rs.getString("password_hash")))
                .findFirst()));
    }

    @Override
    public void setPasswordHash(UserId id, String passwordHash) {
        requireNonNull(id, "id");
        requireNonNull(passwordHash, "passwordHash");
        int updated = call(() -> jdbi.withHandle(h -> h.createUpdate(sql.render(
                        "UPDATE ${p}users SET password_hash = :hash WHERE id = :id"))
                .bind("hash", passwordHash)
                .bind("id", id.value())
                .execute()));
        if (updated == 0) {
            throw new NotFoundException("no such user");
        }
    }

    @Override
    public User setRoles(UserId id, Set<Role> roles) {
        requireNonNull(id, "id");
        requireNonNull(roles, "roles");
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("a user holds at least one role");
        }
        return updateAndRead(id, "roles = :value", Rows.rolesColumn(roles));
    }

    @Override
    public User updateProfile(UserId id, String username, String email, String displayName) {
        requireNonNull(id, "id");
        requireNonNull(username, "username");
        requireNonNull(email, "email");
        requireNonNull(displayName, "displayName");
        return call(() -> {
            try {
                return jdbi.inTransaction(h -> {
                    int updated = h.createUpdate(sql.render("UPDATE ${p}users SET username = :username,"
                                    + " username_lower = :usernameLower, email = :email, email_lower = :emailLower,"
                                    + " display_name = :displayName WHERE id = :id"))
                            .bind("username", username)
                            .bind("usernameLower", lower(username))
                            .bind("email", email)
                            .bind("emailLower", lower(email))
                            .bind("displayName", displayName)
                            .bind("id", id.value())
                            .execute();
                    if (updated == 0) {
                        throw new NotFoundException("no such user");
                    }
                    return findUser(h, id).orElseThrow(() -> new NotFoundException("no such user"));
                });
            } catch (JdbiException e) {
                if (dialect.isUniqueViolation(e)) {
                    throw new ConflictException(heldByAnother(id, "username_lower", lower(username))
                            ? "username is taken" : "email is taken");
                }
                throw e;
            }
        });
    }

    private boolean heldByAnother(UserId id, String column, String value) {
        return jdbi.withHandle(h -> h.createQuery(sql.render(
                        "SELECT COUNT(*) FROM ${p}users WHERE " + column + " = :value AND id <> :id"))
                .bind("value", value)
                .bind("id", id.value())
                .mapTo(Long.class)
                .one()) > 0;
    }

    @Override
    public User setEnabled(UserId id, boolean enabled) {
        requireNonNull(id, "id");
        return updateAndRead(id, "enabled = :value", enabled);
    }

    private User updateAndRead(UserId id, String assignment, Object value) {
        return call(() -> jdbi.inTransaction(h -> {
            int updated = h.createUpdate(sql.render("UPDATE ${p}users SET " + assignment + " WHERE id = :id"))
                    .bind("value", value)
                    .bind("id", id.value())
                    .execute();
            if (updated == 0) {
                throw new NotFoundException("no such user");
            }
            return findUser(h, id).orElseThrow(() -> new NotFoundException("no such user"));
        }));
    }

    @Override
    public Instant revokeTokensIssuedBefore(UserId id, Instant validAfter) {
        requireNonNull(id, "id");
        requireNonNull(validAfter, "validAfter");
        return call(() -> jdbi.inTransaction(h -> {
            int found = h.createUpdate(sql.render("UPDATE ${p}users SET tokens_valid_after = CASE"
                            + " WHEN tokens_valid_after IS NULL OR tokens_valid_after < :validAfter THEN :validAfter"
                            + " ELSE tokens_valid_after END WHERE id = :id"))
                    .bind("validAfter", dialect.timestamp(validAfter))
                    .bind("id", id.value())
                    .execute();
            if (found == 0) {
                throw new NotFoundException("no such user");
            }
            return validAfter(h, id).orElseThrow(() -> new NotFoundException("no such user"));
        }));
    }

    @Override
    public Optional<Instant> tokensValidAfter(UserId id) {
        requireNonNull(id, "id");
        return call(() -> jdbi.withHandle(h -> validAfter(h, id)));
    }

    private Optional<Instant> validAfter(Handle h, UserId id) {
        return h.createQuery(sql.render("SELECT tokens_valid_after FROM ${p}users WHERE id = :id"))
                .bind("id", id.value())
                .map((rs, ctx) -> Optional.ofNullable(Rows.nullableInstant(rs, "tokens_valid_after")))
                .findOne()
                .flatMap(instant -> instant);
    }

    @Override
    public List<User> findEnabledWithAnyRole(Set<Role> roles, int limit) {
        requireNonNull(roles, "roles");
        requirePositive(limit);
        if (roles.isEmpty()) {
            return List.of();
        }
        List<Role> wanted = List.copyOf(roles);
        StringBuilder anyRole = new StringBuilder();
        for (int i = 0; i < wanted.size(); i++) {
            anyRole.append(i == 0 ? "" : " OR ").append("roles LIKE :role").append(i);
        }
        return call(() -> jdbi.withHandle(h -> {
            Query query = h.createQuery(sql.render("SELECT " + Rows.USER_COLUMNS
                    + " FROM ${p}users WHERE enabled = TRUE AND (" + anyRole
                    + ") ORDER BY display_name, username, id" + dialect.limit(":limit")));
            for (int i = 0; i < wanted.size(); i++) {
                query.bind("role" + i, Rows.rolePattern(wanted.get(i)));
            }
            return query.bind("limit", limit).map(Rows.USER).list();
        }));
    }

    @Override
    public List<User> list(@Nullable String afterUsername, int limit) {
        requirePositive(limit);
        return call(() -> jdbi.withHandle(h -> {
            Query query = afterUsername == null
                    ? h.createQuery(sql.render("SELECT " + Rows.USER_COLUMNS
                            + " FROM ${p}users ORDER BY username_lower" + dialect.limit(":limit")))
                    : h.createQuery(sql.render("SELECT " + Rows.USER_COLUMNS
                                    + " FROM ${p}users WHERE username_lower > :after"
                                    + " ORDER BY username_lower" + dialect.limit(":limit")))
                            .bind("after", lower(afterUsername));
            return query.bind("limit", limit).map(Rows.USER).list();
        }));
    }

    @Override
    public long count() {
        return call(() -> jdbi.withHandle(h -> h.createQuery(sql.render("SELECT COUNT(*) FROM ${p}users"))
                .mapTo(Long.class)
                .one()));
    }

    private static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }

    private static void requirePositive(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
    }
}
