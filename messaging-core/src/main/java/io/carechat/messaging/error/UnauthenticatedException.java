package io.carechat.messaging.error;

import org.jspecify.annotations.Nullable;

/** Credentials are missing or invalid. The message is one generic text for every cause; the cause goes to the audit trail. Maps to {@code unauthenticated}. */
public class UnauthenticatedException extends MessagingException {
    /**
     * Creates the exception.
     *
     * @param message what was wrong, safe to show
     */
    public UnauthenticatedException(String message) {
        super(ErrorCode.UNAUTHENTICATED, message, null);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what was wrong, safe to show
     * @param cause the underlying failure
     */
    public UnauthenticatedException(String message, @Nullable Throwable cause) {
        super(ErrorCode.UNAUTHENTICATED, message, cause);
    }
}
