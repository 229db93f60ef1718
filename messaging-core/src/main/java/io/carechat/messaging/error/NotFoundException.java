package io.carechat.messaging.error;

import org.jspecify.annotations.Nullable;

/** No such thing, or one the caller may not know of (a conversation they are not a member of). Maps to {@code not_found}. */
public class NotFoundException extends MessagingException {
    private static final String CONVERSATION = "conversation not found";

    /**
     * Creates the exception.
     *
     * @param message what was wrong, safe to show
     */
    public NotFoundException(String message) {
        super(ErrorCode.NOT_FOUND, message, null);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what was wrong, safe to show
     * @param cause the underlying failure
     */
    public NotFoundException(String message, @Nullable Throwable cause) {
        super(ErrorCode.NOT_FOUND, message, cause);
    }

    /**
     * The one answer about a conversation the caller may not see, whether it exists or not, so the
     * answer never tells which. Every store and service uses it.
     *
     * @return a new exception saying "conversation not found"
     */
    public static NotFoundException conversation() {
        return new NotFoundException(CONVERSATION);
    }
}
