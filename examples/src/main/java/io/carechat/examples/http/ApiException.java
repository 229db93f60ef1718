package io.carechat.examples.http;

import io.carechat.messaging.error.ErrorCode;

/**
 * An HTTP-level failure (a malformed request, a missing token, an oversized body) that the router
 * answers as {@code {"error":{"code":...,"message":...}}}. The message is shown to the client.
 */
public final class ApiException extends RuntimeException {
    private final ErrorCode code;

    /**
     * Creates the exception.
     *
     * @param code the error code; its HTTP status is used
     * @param message what was wrong, safe to show
     */
    public ApiException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    /** @return the error code */
    public ErrorCode code() {
        return code;
    }
}
