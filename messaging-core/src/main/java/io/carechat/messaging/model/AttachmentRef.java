package io.carechat.messaging.model;

import static java.util.Objects.requireNonNull;

/**
 * An attachment as a message refers to it. The name is display text only. Immutable and
 * thread-safe.
 *
 * @param id the attachment's id
 * @param name the sanitised file name to show
 * @param contentType the type recognised from the content: {@code application/pdf},
 *     {@code image/png} or {@code image/jpeg}
 * @param size the size in bytes
 */
public record AttachmentRef(AttachmentId id, String name, String contentType, long size) {

    /** Checks the fields. */
    public AttachmentRef {
        requireNonNull(id, "id");
        requireNonNull(name, "name");
        requireNonNull(contentType, "contentType");
        if (size < 0) {
            throw new IllegalArgumentException("size is never negative");
        }
    }
}
