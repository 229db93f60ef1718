package io.carechat.messaging.error;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * The root of every failure CareChat reports to a caller. Unchecked; subtypes say what failed and
 * each maps to one wire {@link ErrorCode}. Messages are safe to show to a client and to log: they
 * never carry a message body, token, password or key.
 */
public abstract class MessagingException extends RuntimeException {
    private final ErrorCode code;

    /**
     * Creates the exception.
     *
     * @param code the wire code
     * @param message what was wrong, safe to show
     * @param cause the underlying failure, kept for diagnosis
     */
    protected MessagingException(ErrorCode code, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.code = requireNonNull(code, "code");
    }

    /**
     * The wire code for this failure.
     *
     * @return the code
     */
    public ErrorCode code() {
        return code;
    }
}
