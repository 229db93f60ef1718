package io.carechat.messaging.spi;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.UserId;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * A refresh token as a {@link RefreshTokenStore} keeps it: never the token itself, only the
 * SHA-256 hash of it. Every token descends from one login; the tokens that rotation made from
 * one another share a {@code familyId}, and the family's absolute end, {@code familyExpiresAt}:
 * rotation never makes a token that outlives it. Immutable and thread-safe.
 *
 * @param tokenHash the lower-case hex SHA-256 of the token (64 characters)
 * @param familyId the id shared by every token rotated from the same login (1 to 64 characters
 *     from {@code [A-Za-z0-9_-]})
 * @param userId the user it was issued to
 * @param issuedAt when it was issued
 * @param expiresAt when it stops being accepted, at the latest {@code familyExpiresAt}
 * @param familyExpiresAt when the family ends: no token of it is accepted from then on
 */
public record StoredRefreshToken(String tokenHash, String familyId, UserId userId, Instant issuedAt,
        Instant expiresAt, Instant familyExpiresAt) {

    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern FAMILY = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** Checks the fields. */
    public StoredRefreshToken {
        requireNonNull(tokenHash, "tokenHash");
        requireNonNull(familyId, "familyId");
        requireNonNull(userId, "userId");
        requireNonNull(issuedAt, "issuedAt");
        requireNonNull(expiresAt, "expiresAt");
        requireNonNull(familyExpiresAt, "familyExpiresAt");
        if (!HASH.matcher(tokenHash).matches()) {
            throw new IllegalArgumentException("tokenHash must be 64 lower-case hex digits");
        }
        if (!FAMILY.matcher(familyId).matches()) {
            throw new IllegalArgumentException("familyId must be 1 to 64 characters from [A-Za-z0-9_-]");
        }
        if (!expiresAt.isAfter(issuedAt)) {
            throw new IllegalArgumentException("expiresAt must be after issuedAt");
        }
        if (expiresAt.isAfter(familyExpiresAt)) {
            throw new IllegalArgumentException("expiresAt must not be after familyExpiresAt");
        }
    }

    /**
     * The token that replaces this one at a rotation: same family and user, issued {@code now},
     * expiring at {@code expiresAt} or when the family ends, whichever comes first.
     *
     * @param hash the successor's hash
     * @param now the time of the rotation, before this token's expiry
     * @param expiresAt the expiry asked for
     * @return the successor
     */
    public StoredRefreshToken successor(String hash, Instant now, Instant expiresAt) {
        Instant capped = expiresAt.isAfter(familyExpiresAt) ? familyExpiresAt : expiresAt;
        return new StoredRefreshToken(hash, familyId, userId, now, capped, familyExpiresAt);
    }

    /** Leaves out the hash. */
    @Override
    public String toString() {
        return "StoredRefreshToken[familyId=" + familyId + ", userId=" + userId + ", expiresAt="
                + expiresAt + ", familyExpiresAt=" + familyExpiresAt + "]";
    }
}
