package io.carechat.examples.api;

import io.carechat.examples.http.ApiRequest;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.error.UnauthenticatedException;
import io.carechat.messaging.auth.AccessTokens;
import io.carechat.messaging.auth.ClientContext;
import io.carechat.messaging.logging.LogContext;

/** Turns a request's bearer token into a {@link Caller}. Thread-safe. */
final class Authenticator {
    private final AccessTokens tokens;

    Authenticator(AccessTokens tokens) {
        this.tokens = tokens;
    }

    /** The caller, or 401 with the contract's one generic message. */
    Caller caller(ApiRequest request) {
        String token = request.bearerToken()
                .orElseThrow(() -> new UnauthenticatedException("missing bearer token"));
        Caller caller = tokens.verify(token, client(request));
        LogContext.user(caller.userId().value());
        return caller;
    }

    static ClientContext client(ApiRequest request) {
        return new ClientContext(request.clientAddress(), request.header("X-Client-Id").orElse(null), null);
    }
}
