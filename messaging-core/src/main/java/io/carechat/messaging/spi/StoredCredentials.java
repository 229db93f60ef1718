package io.carechat.messaging.spi;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.User;

/**
 * A user with their stored password hash, as {@link UserStore#findCredentials(String)} returns it.
 * The hash is self-describing (algorithm and parameters included). {@link #toString()} leaves the
 * hash out.
 *
 * @param user the user
 * @param passwordHash the stored hash
 */
public record StoredCredentials(User user, String passwordHash) {

    /** Checks the fields. */
    public StoredCredentials {
        requireNonNull(user, "user");
        requireNonNull(passwordHash, "passwordHash");
    }

    @Override
    public String toString() {
        return "StoredCredentials[user=" + user + "]";
    }
}
