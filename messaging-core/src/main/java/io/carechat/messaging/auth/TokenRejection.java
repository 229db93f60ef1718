package io.carechat.messaging.auth;

/**
 * Why a token was refused, as an audit reason code. Internal to this package: callers only ever
 * see the generic {@link io.carechat.messaging.error.UnauthenticatedException}. Carries no stack trace
 * and never the token.
 */
final class TokenRejection extends RuntimeException {
    private final String reason;

    TokenRejection(String reason) {
        super(reason, null, false, false);
        this.reason = reason;
    }

    String reason() {
        return reason;
    }
}
