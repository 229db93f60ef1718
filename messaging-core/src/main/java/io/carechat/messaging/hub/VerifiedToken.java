package io.carechat.messaging.hub;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.Caller;
import java.time.Instant;

/**
 * What a {@link TokenVerifier} learned from a valid access token. Immutable and thread-safe.
 *
 * @param caller the user the token was issued to, with its roles
 * @param issuedAt when the token was issued, as precisely as the verifier knows it; the hub asks
 *     {@link TokenVerifier#isRevoked} about it on every frame
 * @param expiresAt when the token expires; the hub closes the session then unless re-authenticated
 */
public record VerifiedToken(Caller caller, Instant issuedAt, Instant expiresAt) {

    /** Checks the fields. */
    public VerifiedToken {
        requireNonNull(caller, "caller");
        requireNonNull(issuedAt, "issuedAt");
        requireNonNull(expiresAt, "expiresAt");
    }

    /**
     * A token whose issue time the verifier does not track, for verifiers that never revoke
     * ({@link TokenVerifier#isRevoked} keeps its default): its issue time is taken as the epoch.
     *
     * @param caller the user the token was issued to
     * @param expiresAt when the token expires
     */
    public VerifiedToken(Caller caller, Instant expiresAt) {
        this(caller, Instant.EPOCH, expiresAt);
    }
}
