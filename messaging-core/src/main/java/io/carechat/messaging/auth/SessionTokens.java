package io.carechat.messaging.auth;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.User;
import java.time.Instant;

/**
 * What a login or a refresh returns: a new access token, a new refresh token (which replaces the
 * one used, if any) and the user. Immutable and thread-safe; {@link #toString()} leaves the
 * tokens out.
 *
 * @param accessToken the signed access token
 * @param refreshToken the opaque refresh token, to be used once
 * @param accessTokenExpiresAt when the access token expires
 * @param expiresIn the access token's remaining lifetime in seconds, as the wire contract's
 *     {@code expiresIn}
 * @param user the user, as stored
 */
public record SessionTokens(
        String accessToken, String refreshToken, Instant accessTokenExpiresAt, long expiresIn, User user) {

    /** Checks the fields. */
    public SessionTokens {
        requireNonNull(accessToken, "accessToken");
        requireNonNull(refreshToken, "refreshToken");
        requireNonNull(accessTokenExpiresAt, "accessTokenExpiresAt");
        requireNonNull(user, "user");
    }

    @Override
    public String toString() {
        return "SessionTokens[user=" + user + ", accessTokenExpiresAt=" + accessTokenExpiresAt + "]";
    }
}
