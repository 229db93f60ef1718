package io.carechat.messaging.spi;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.UserId;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Keeps refresh tokens as SHA-256 hashes, never the tokens, and rotates them. Implementations are
 * thread-safe; the conformance kit ({@code RefreshTokenStoreContract}) checks every rule below.
 *
 * <p>Rules:
 * <ul>
 *   <li>{@link #rotate} is atomic: of any number of concurrent rotations of one token, exactly one
 *       gets {@link Outcome#ROTATED}; the others see the token as already used
 *       ({@link Outcome#REUSED}).</li>
 *   <li>A token that was rotated stays known, so a second use of it is reported as
 *       {@link Outcome#REUSED} and the caller can revoke the family.</li>
 *   <li>A revoked token (by family or by user) is never rotated again: {@link Outcome#REVOKED}.</li>
 *   <li>Revocation marks the tokens; whether and when old rows are deleted is up to the store, as
 *       long as a revoked or rotated token is never reported as {@link Outcome#ROTATED}.</li>
 * </ul>
 */
public interface RefreshTokenStore {

    /**
     * Stores the first token of a new family, at a login.
     *
     * @param token the token's hash and facts
     * @throws io.carechat.messaging.error.ConflictException if a token with that hash exists
     */
    void create(StoredRefreshToken token);

    /**
     * Uses a token: if it is known, not rotated before, not revoked and not expired at {@code now},
     * marks it used and stores its successor in the same family, atomically. The successor is
     * {@link StoredRefreshToken#successor} of the presented token: it expires at
     * {@code successorExpiresAt} or when the family ends, whichever comes first.
     *
     * @param presentedHash the hash of the token presented
     * @param successorHash the hash of the token that replaces it
     * @param now the time of use
     * @param successorExpiresAt when the successor expires
     * @return what happened, with the presented token's facts when it was known
     */
    Rotation rotate(String presentedHash, String successorHash, Instant now, Instant successorExpiresAt);

    /**
     * Revokes every token of a family.
     *
     * @param familyId the family
     * @param now the time of revocation
     * @return how many tokens were newly revoked
     */
    int revokeFamily(String familyId, Instant now);

    /**
     * Revokes every token of a user.
     *
     * @param userId the user
     * @param now the time of revocation
     * @return how many tokens were newly revoked
     */
    int revokeAll(UserId userId, Instant now);

    /** What {@link #rotate} found. */
    enum Outcome {
        /** The token was valid; it is now used and the successor is stored. */
        ROTATED,
        /** The token was already rotated: a second use, which may mean it was stolen. */
        REUSED,
        /** The token, or its family, was revoked. */
        REVOKED,
        /** The token expired. */
        EXPIRED,
        /** No token has that hash. */
        UNKNOWN
    }

    /**
     * The result of {@link #rotate}. Immutable and thread-safe.
     *
     * @param outcome what happened
     * @param presented the presented token's facts, null when {@link Outcome#UNKNOWN}
     * @param successor the new token's facts, only when {@link Outcome#ROTATED}
     */
    record Rotation(
            Outcome outcome, @Nullable StoredRefreshToken presented, @Nullable StoredRefreshToken successor) {

        /** Checks that the fields fit the outcome. */
        public Rotation {
            requireNonNull(outcome, "outcome");
            if ((outcome == Outcome.UNKNOWN) != (presented == null)) {
                throw new IllegalArgumentException("presented is null exactly when the outcome is UNKNOWN");
            }
            if ((outcome == Outcome.ROTATED) != (successor != null)) {
                throw new IllegalArgumentException("successor is set exactly when the outcome is ROTATED");
            }
        }
    }
}
