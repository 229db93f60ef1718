package io.carechat.messaging.spi;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.AttachmentRef;
import io.carechat.messaging.model.UserId;
import java.time.Instant;

/**
 * An uploaded attachment's metadata as the {@link AttachmentStore} keeps it; the content is kept
 * beside it, sealed. Immutable and thread-safe.
 *
 * @param ref the id, the display name as stored (sealed, or in clear if stored before names were
 *     sealed), the recognised type and the size (of the plaintext)
 * @param ownerId who uploaded it
 * @param uploadedAt when
 */
public record StoredAttachment(AttachmentRef ref, UserId ownerId, Instant uploadedAt) {

    /** Checks the fields. */
    public StoredAttachment {
        requireNonNull(ref, "ref");
        requireNonNull(ownerId, "ownerId");
        requireNonNull(uploadedAt, "uploadedAt");
    }
}
