package io.carechat.messaging.hub;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.Caller;
import java.time.Instant;

/**
 * What a {@link TokenVerifier} learned from a valid access token. Immutable and thread-safe.
 *
 * @param caller the user the token was issued to, with its roles
 * @param expiresAt when the token expires; the hub closes the session then unless re-authenticated
 */
public record VerifiedToken(Caller caller, Instant expiresAt) {

    /** Checks the fields. */
    public VerifiedToken {
        requireNonNull(caller, "caller");
        requireNonNull(expiresAt, "expiresAt");
    }
}
