package io.carechat.messaging.hub;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.error.UnauthenticatedException;
import io.carechat.messaging.auth.AccessTokens;
import io.carechat.messaging.auth.ClientContext;
import io.carechat.messaging.auth.VerifiedAccessToken;

/**
 * Checks an access token for the {@link Hub}, such as the JWT verifier of the authentication
 * module. Implementations are thread-safe; the hub calls them on its worker threads, never on a
 * transport's thread, so they may fetch keys over the network.
 */
@FunctionalInterface
public interface TokenVerifier {

    /**
     * Verifies a token.
     *
     * @param token the token as the client sent it, never logged
     * @return the user it names and when it expires
     * @throws UnauthenticatedException with one generic message when the token is not valid
     */
    VerifiedToken verify(String token);

    /**
     * A verifier backed by CareChat's own access tokens.
     *
     * @param tokens the token service, such as {@code messaging.tokens()}
     * @return the verifier
     */
    static TokenVerifier of(AccessTokens tokens) {
        requireNonNull(tokens, "tokens");
        return token -> {
            VerifiedAccessToken verified = tokens.authenticate(token, ClientContext.unknown());
            return new VerifiedToken(verified.caller(), verified.expiresAt());
        };
    }
}
