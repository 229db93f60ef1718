package io.carechat.messaging.auth;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A freshly signed access token. Immutable and thread-safe; {@link #toString()} leaves the token
 * out.
 *
 * @param token the compact JWS, to send to the client and nowhere else
 * @param jti the token's id
 * @param expiresAt when it expires
 */
public record IssuedAccessToken(String token, String jti, Instant expiresAt) {

    /** Checks the fields. */
    public IssuedAccessToken {
        requireNonNull(token, "token");
        requireNonNull(jti, "jti");
        requireNonNull(expiresAt, "expiresAt");
    }

    @Override
    public String toString() {
        return "IssuedAccessToken[jti=" + jti + ", expiresAt=" + expiresAt + "]";
    }
}
