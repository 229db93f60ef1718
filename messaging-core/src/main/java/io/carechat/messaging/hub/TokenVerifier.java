package io.carechat.messaging.hub;

import io.carechat.messaging.UnauthenticatedException;

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
}
