package io.carechat.messaging.error;

import org.jspecify.annotations.Nullable;

/** The request clashes with what is stored: a taken username, a reused {@code clientMsgId} with another body, a decided role request. Maps to {@code conflict}. */
public class ConflictException extends MessagingException {
    /**
     * Creates the exception.
     *
     * @param message what was wrong, safe to show
     */
    public ConflictException(String message) {
        super(ErrorCode.CONFLICT, message, null);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what was wrong, safe to show
     * @param cause the underlying failure
     */
    public ConflictException(String message, @Nullable Throwable cause) {
        super(ErrorCode.CONFLICT, message, cause);
    }
}
