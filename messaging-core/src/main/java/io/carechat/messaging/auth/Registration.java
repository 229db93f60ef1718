package io.carechat.messaging.auth;

import static java.util.Objects.requireNonNull;

/**
 * What a new account is made from. Immutable and thread-safe; {@link #toString()} leaves out the
 * password and the e-mail address.
 *
 * @param username the login name: 3 to 32 characters from {@code [A-Za-z0-9._-]}, unique
 *     without regard to case
 * @param email the e-mail address, unique without regard to case, also a login
 * @param password the password, checked against the {@link PasswordPolicy}
 * @param displayName the name other users see: 1 to 100 characters
 */
public record Registration(String username, String email, String password, String displayName) {

    /** Checks that no field is null; {@link UserAdmin} checks their content. */
    public Registration {
        requireNonNull(username, "username");
        requireNonNull(email, "email");
        requireNonNull(password, "password");
        requireNonNull(displayName, "displayName");
    }

    @Override
    public String toString() {
        return "Registration[username=" + username + "]";
    }
}
