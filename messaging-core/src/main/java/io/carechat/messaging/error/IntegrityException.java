package io.carechat.messaging.error;

import org.jspecify.annotations.Nullable;

/**
 * Stored data failed its integrity check: an encrypted field was changed, copied from another row,
 * or names a key the key provider does not hold. CareChat never returns such data, not even in
 * part. Maps to {@link ErrorCode#INTERNAL}: the caller cannot fix it; operators must. The message
 * never carries the data, the key or the key's material.
 */
public class IntegrityException extends MessagingException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed, without any stored data
     * @param cause the underlying failure, or null
     */
    public IntegrityException(String message, @Nullable Throwable cause) {
        super(ErrorCode.INTERNAL, message, cause);
    }
}
