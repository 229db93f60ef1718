package io.carechat.messaging.error;

import org.jspecify.annotations.Nullable;

/** Storage could not be reached in time; retrying the same request later is safe. Maps to {@code unavailable}. */
public class UnavailableException extends MessagingException {
    /**
     * Creates the exception.
     *
     * @param message what was wrong, safe to show
     */
    public UnavailableException(String message) {
        super(ErrorCode.UNAVAILABLE, message, null);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what was wrong, safe to show
     * @param cause the underlying failure
     */
    public UnavailableException(String message, @Nullable Throwable cause) {
        super(ErrorCode.UNAVAILABLE, message, cause);
    }
}
