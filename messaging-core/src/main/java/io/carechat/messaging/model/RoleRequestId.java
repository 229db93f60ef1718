package io.carechat.messaging.model;

import java.util.UUID;

/**
 * The id of a role request.
 *
 * <p>Ids are opaque strings of 1 to 64 characters from {@code [A-Za-z0-9_-]}, so they are safe in
 * paths, SQL parameters and log lines. Immutable and thread-safe.
 *
 * @param value the id's text
 */
public record RoleRequestId(String value) {

    /** Checks the id's form. */
    public RoleRequestId {
        value = Ids.check(value, "RoleRequestId");
    }

    /**
     * Wraps an existing id.
     *
     * @param value the id's text
     * @return the id
     * @throws IllegalArgumentException if {@code value} is not a well-formed id
     */
    public static RoleRequestId of(String value) {
        return new RoleRequestId(value);
    }

    /**
     * Makes a new random id.
     *
     * @return a new id, unique with overwhelming probability
     */
    public static RoleRequestId random() {
        return new RoleRequestId(UUID.randomUUID().toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
