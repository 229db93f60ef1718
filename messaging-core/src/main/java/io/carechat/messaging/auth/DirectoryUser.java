package io.carechat.messaging.auth;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.UserId;
import java.util.Set;

/**
 * A user as the embedding application's own directory knows it, for {@link UserDirectory}: the
 * external subject (the identity provider's {@code sub}, used as the CareChat user id as it is),
 * the username, the e-mail address, the display name and the roles. There is no password: such a
 * user signs in only through the identity provider. Immutable and thread-safe;
 * {@link #toString()} shows only the id, never a name or an address.
 *
 * @param id the external subject, as a user id (see {@link UserId} for the accepted shapes)
 * @param username the login name: 3 to 32 characters from {@code [A-Za-z0-9._-]}, unique without
 *     regard to case
 * @param email the e-mail address, unique without regard to case
 * @param displayName the name other users see: 1 to 100 characters without control characters
 * @param roles the roles, at least one
 */
public record DirectoryUser(UserId id, String username, String email, String displayName, Set<Role> roles) {

    /** Checks that no field is null and copies the roles; {@link UserDirectory} checks the content. */
    public DirectoryUser {
        requireNonNull(id, "id");
        requireNonNull(username, "username");
        requireNonNull(email, "email");
        requireNonNull(displayName, "displayName");
        roles = Set.copyOf(requireNonNull(roles, "roles"));
    }

    @Override
    public String toString() {
        return "DirectoryUser[id=" + id.value() + ", roles=" + roles + "]";
    }
}
