package io.carechat.messaging.error;

import org.jspecify.annotations.Nullable;

/** The request is malformed or breaks a validation rule. Maps to {@code bad_request}. */
public class BadRequestException extends MessagingException {
    /**
     * Creates the exception.
     *
     * @param message what was wrong, safe to show
     */
    public BadRequestException(String message) {
        super(ErrorCode.BAD_REQUEST, message, null);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what was wrong, safe to show
     * @param cause the underlying failure
     */
    public BadRequestException(String message, @Nullable Throwable cause) {
        super(ErrorCode.BAD_REQUEST, message, cause);
    }
}
