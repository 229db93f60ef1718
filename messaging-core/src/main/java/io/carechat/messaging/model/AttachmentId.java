package io.carechat.messaging.model;

import java.util.UUID;

/**
 * The id of an uploaded attachment.
 *
 * <p>Ids are opaque strings of 1 to 64 characters from {@code [A-Za-z0-9_-]}, so they are safe in
 * paths, SQL parameters and log lines. Immutable and thread-safe.
 *
 * @param value the id's text
 */
public record AttachmentId(String value) {

    /** Checks the id's form. */
    public AttachmentId {
        value = Ids.check(value, "AttachmentId");
    }

    /**
     * Wraps an existing id.
     *
     * @param value the id's text
     * @return the id
     * @throws IllegalArgumentException if {@code value} is not a well-formed id
     */
    public static AttachmentId of(String value) {
        return new AttachmentId(value);
    }

    /**
     * Makes a new random id.
     *
     * @return a new id, unique with overwhelming probability
     */
    public static AttachmentId random() {
        return new AttachmentId(UUID.randomUUID().toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
