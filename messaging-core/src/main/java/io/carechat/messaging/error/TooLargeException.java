package io.carechat.messaging.error;

import org.jspecify.annotations.Nullable;

/** Larger than a configured limit. Maps to {@code too_large}. */
public class TooLargeException extends MessagingException {
    /**
     * Creates the exception.
     *
     * @param message what was wrong, safe to show
     */
    public TooLargeException(String message) {
        super(ErrorCode.TOO_LARGE, message, null);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what was wrong, safe to show
     * @param cause the underlying failure
     */
    public TooLargeException(String message, @Nullable Throwable cause) {
        super(ErrorCode.TOO_LARGE, message, cause);
    }
}
