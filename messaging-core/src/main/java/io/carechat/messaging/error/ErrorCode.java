package io.carechat.messaging.error;

import java.util.Locale;

/**
 * The error codes of the wire contract. Each {@link MessagingException} subtype maps to one; any
 * other failure is {@link #INTERNAL}.
 */
public enum ErrorCode {
    /** The request is malformed or breaks a rule; retrying it unchanged fails again. */
    BAD_REQUEST(400),
    /** No valid credentials. */
    UNAUTHENTICATED(401),
    /** Authenticated, but the caller may not do this. */
    FORBIDDEN(403),
    /** No such thing, or the caller may not know it exists. */
    NOT_FOUND(404),
    /** Clashes with what is stored (a taken name, a reused idempotency key). */
    CONFLICT(409),
    /** Larger than a configured limit. */
    TOO_LARGE(413),
    /** Unsupported content type (HTTP only). */
    UNSUPPORTED_MEDIA_TYPE(415),
    /** Too many requests; slow down. */
    RATE_LIMITED(429),
    /** Storage is down; retry the same request (the same {@code clientMsgId}) later. */
    UNAVAILABLE(503),
    /** An unexpected failure on the server. */
    INTERNAL(500);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    /**
     * The code on the wire, such as {@code not_found}.
     *
     * @return the lower-case code
     */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The HTTP status that the example server's API answers with.
     *
     * @return the status code
     */
    public int httpStatus() {
        return httpStatus;
    }
}
