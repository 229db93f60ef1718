package io.carechat.messaging.error;

import org.jspecify.annotations.Nullable;

/** Content of a type CareChat does not accept. Maps to {@code unsupported_media_type}. */
public class UnsupportedMediaTypeException extends MessagingException {
    /**
     * Creates the exception.
     *
     * @param message what was wrong, safe to show
     */
    public UnsupportedMediaTypeException(String message) {
        super(ErrorCode.UNSUPPORTED_MEDIA_TYPE, message, null);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what was wrong, safe to show
     * @param cause the underlying failure
     */
    public UnsupportedMediaTypeException(String message, @Nullable Throwable cause) {
        super(ErrorCode.UNSUPPORTED_MEDIA_TYPE, message, cause);
    }
}
