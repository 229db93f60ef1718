package io.carechat.messaging.model;

import static java.util.Objects.requireNonNull;

import java.util.EnumSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Who is calling the {@link io.carechat.messaging.Messaging} facade: the authenticated user, as a verified access token
 * describes them, and where the call came from (for the audit trail). Roles in a caller are what
 * the token said; every decision about conversations is checked again against the store.
 * Immutable and thread-safe.
 *
 * @param userId the authenticated user
 * @param roles the roles the token carried
 * @param clientAddress the network address of the client, when known
 * @param requestId an id tying audit records to one request, when the transport has one
 */
public record Caller(
        UserId userId, Set<Role> roles, @Nullable String clientAddress, @Nullable String requestId) {

    /** Checks the fields and copies the role set. */
    public Caller {
        requireNonNull(userId, "userId");
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
    }

    /**
     * A caller with no client details.
     *
     * @param userId the authenticated user
     * @param roles the roles the token carried
     * @return the caller
     */
    public static Caller of(UserId userId, Set<Role> roles) {
        return new Caller(userId, roles, null, null);
    }

    /**
     * A caller acting as a stored user, with the user's current roles.
     *
     * @param user the user
     * @return the caller
     */
    public static Caller of(User user) {
        return new Caller(user.id(), user.roles(), null, null);
    }

    /**
     * A copy that says where the call came from.
     *
     * @param address the client's network address
     * @param request an id for this request
     * @return the changed copy
     */
    public Caller from(@Nullable String address, @Nullable String request) {
        return new Caller(userId, roles, address, request);
    }

    /**
     * Tells whether the token carried a role.
     *
     * @param role the role
     * @return true if carried
     */
    public boolean hasRole(Role role) {
        return roles.contains(role);
    }
}
