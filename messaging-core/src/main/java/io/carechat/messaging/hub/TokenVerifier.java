package io.carechat.messaging.hub;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.auth.AccessTokens;
import io.carechat.messaging.auth.ClientContext;
import io.carechat.messaging.auth.VerifiedAccessToken;
import io.carechat.messaging.error.UnauthenticatedException;

/**
 * Checks an access token for the {@link Hub}, such as the JWT verifier of the authentication
 * module. Implementations are thread-safe; the hub calls them on its worker threads, never on a
 * transport's thread, so {@link #verify} may fetch keys over the network.
 */
@FunctionalInterface
public interface TokenVerifier {

    /**
     * Verifies a token.
     *
     * @param token the token as the client sent it, never logged
     * @return the user it names, when it was issued and when it expires
     * @throws UnauthenticatedException with one generic message when the token is not valid
     *     (revoked included)
     */
    VerifiedToken verify(String token);

    /**
     * Tells whether a token that {@link #verify} accepted was revoked since (its user logged out,
     * was disabled or had their roles changed after it was issued). The hub asks before serving
     * every frame of a session and closes it with 4401 {@code token_revoked} when it was. Must
     * answer from memory, without blocking on I/O for long. The default revokes nothing.
     *
     * @param token the session's token
     * @return true when it must no longer be accepted
     */
    default boolean isRevoked(VerifiedToken token) {
        return false;
    }

    /**
     * A verifier backed by CareChat's own access tokens, revocations included.
     *
     * @param tokens the token service, such as {@code messaging.tokens()}
     * @return the verifier
     */
    static TokenVerifier of(AccessTokens tokens) {
        requireNonNull(tokens, "tokens");
        return new TokenVerifier() {
            @Override
            public VerifiedToken verify(String token) {
                VerifiedAccessToken verified = tokens.authenticate(token, ClientContext.unknown());
                return new VerifiedToken(verified.caller(), verified.issuedAt(), verified.expiresAt());
            }

            @Override
            public boolean isRevoked(VerifiedToken token) {
                return tokens.revocations().isRevoked(token.caller().userId(), token.issuedAt());
            }
        };
    }
}
