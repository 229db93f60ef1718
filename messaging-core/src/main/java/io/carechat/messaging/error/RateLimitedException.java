package io.carechat.messaging.error;

import org.jspecify.annotations.Nullable;

/** Too many requests in too short a time. Maps to {@code rate_limited}. */
public class RateLimitedException extends MessagingException {
    /**
     * Creates the exception.
     *
     * @param message what was wrong, safe to show
     */
    public RateLimitedException(String message) {
        super(ErrorCode.RATE_LIMITED, message, null);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what was wrong, safe to show
     * @param cause the underlying failure
     */
    public RateLimitedException(String message, @Nullable Throwable cause) {
        super(ErrorCode.RATE_LIMITED, message, cause);
    }
}
