package io.carechat.messaging.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * A user account as stored. Immutable and thread-safe; the role set is an unmodifiable copy.
 *
 * @param id the user's id
 * @param username unique (case-insensitively) login name
 * @param email unique (case-insensitively) e-mail address, also a login
 * @param displayName the name other users see
 * @param roles the roles held, never empty
 * @param enabled false once an admin disabled the account
 * @param createdAt when the account was created
 */
public record User(
        UserId id,
        String username,
        String email,
        String displayName,
        Set<Role> roles,
        boolean enabled,
        Instant createdAt) {

    /** Checks the fields and copies the role set. */
    public User {
        requireNonNull(id, "id");
        requireNonNull(username, "username");
        requireNonNull(email, "email");
        requireNonNull(displayName, "displayName");
        requireNonNull(createdAt, "createdAt");
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("a user holds at least one role");
        }
        roles = Set.copyOf(EnumSet.copyOf(roles));
    }

    /**
     * Tells whether the user holds a role.
     *
     * @param role the role
     * @return true if held
     */
    public boolean hasRole(Role role) {
        return roles.contains(role);
    }

    /**
     * A copy with other roles.
     *
     * @param newRoles the roles, not empty
     * @return the changed copy
     */
    public User withRoles(Set<Role> newRoles) {
        return new User(id, username, email, displayName, newRoles, enabled, createdAt);
    }

    /**
     * A copy that is enabled or disabled.
     *
     * @param newEnabled whether the account may be used
     * @return the changed copy
     */
    public User withEnabled(boolean newEnabled) {
        return new User(id, username, email, displayName, roles, newEnabled, createdAt);
    }

    /** Leaves out the e-mail address, which is personal data. */
    @Override
    public String toString() {
        return "User[id=" + id + ", roles=" + roles + ", enabled=" + enabled + "]";
    }
}
