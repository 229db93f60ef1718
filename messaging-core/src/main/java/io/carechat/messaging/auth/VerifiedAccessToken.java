package io.carechat.messaging.auth;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.Caller;
import java.time.Instant;

/**
 * An access token that passed every check: who it names, and until when it holds, so a transport
 * can end a live session when it expires. Immutable and thread-safe; holds no token text.
 *
 * @param caller the caller it describes, with the client's address and request id
 * @param expiresAt its {@code exp}
 * @param jti its {@code jti}
 */
public record VerifiedAccessToken(Caller caller, Instant expiresAt, String jti) {

    /** Checks the fields. */
    public VerifiedAccessToken {
        requireNonNull(caller, "caller");
        requireNonNull(expiresAt, "expiresAt");
        requireNonNull(jti, "jti");
    }
}
