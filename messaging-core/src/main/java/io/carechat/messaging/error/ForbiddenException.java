package io.carechat.messaging.error;

import org.jspecify.annotations.Nullable;

/** The caller is known but may not do this. Maps to {@code forbidden}. */
public class ForbiddenException extends MessagingException {
    /**
     * Creates the exception.
     *
     * @param message what was wrong, safe to show
     */
    public ForbiddenException(String message) {
        super(ErrorCode.FORBIDDEN, message, null);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what was wrong, safe to show
     * @param cause the underlying failure
     */
    public ForbiddenException(String message, @Nullable Throwable cause) {
        super(ErrorCode.FORBIDDEN, message, cause);
    }
}
