package io.carechat.messaging.auth;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.Caller;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * An access token that passed every check: who it names, and until when it holds, so a transport
 * can end a live session when it expires. Immutable and thread-safe; holds no token text.
 *
 * @param caller the caller it describes, with the client's address and request id
 * @param issuedAt when it was issued: to the millisecond for CareChat's own tokens, to the second
 *     otherwise
 * @param expiresAt its {@code exp}
 * @param jti its {@code jti}; null for an external provider's token without one, where that
 *     provider's {@code jti} is optional
 */
public record VerifiedAccessToken(Caller caller, Instant issuedAt, Instant expiresAt, @Nullable String jti) {

    /** Checks the fields. */
    public VerifiedAccessToken {
        requireNonNull(caller, "caller");
        requireNonNull(issuedAt, "issuedAt");
        requireNonNull(expiresAt, "expiresAt");
    }
}
