package io.carechat.messaging.model;

import static java.util.Objects.requireNonNull;

/**
 * A user the caller may message, with their availability. Immutable and thread-safe.
 *
 * @param user the user
 * @param presence their current availability
 */
public record Contact(User user, Presence presence) {

    /** Checks the fields. */
    public Contact {
        requireNonNull(user, "user");
        requireNonNull(presence, "presence");
    }
}
