package io.carechat.examples.http;

import io.carechat.messaging.error.ErrorCode;

/**
 * An HTTP-level failure (a malformed request, a missing token, an oversized body, a spent
 * per-address budget) that the router answers as {@code {"error":{"code":...,"message":...}}}. The
 * message is shown to the client. A refusal for rate may say when to retry; the router sends that
 * as {@code Retry-After}. Immutable.
 */
public final class ApiException extends RuntimeException {
    private final ErrorCode code;
    private final long retryAfterSeconds;

    /**
     * Creates the exception.
     *
     * @param code the error code; its HTTP status is used
     * @param message what was wrong, safe to show
     */
    public ApiException(ErrorCode code, String message) {
        this(code, message, 0);
    }

    /**
     * Creates the exception with the time after which a retry may succeed.
     *
     * @param code the error code; its HTTP status is used
     * @param message what was wrong, safe to show
     * @param retryAfterSeconds seconds until a retry may succeed; 0 when unknown
     */
    public ApiException(ErrorCode code, String message, long retryAfterSeconds) {
        super(message);
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** @return the error code */
    public ErrorCode code() {
        return code;
    }

    /** @return seconds until a retry may succeed, or 0 when unknown */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
