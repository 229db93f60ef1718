package io.carechat.messaging.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A doctor's emergency ("break-glass") access to a conversation they are not a member of: read
 * and reply until {@link #expiresAt()}, after which it ends by itself. Whether it still holds is
 * judged from the expiry on every check ({@link #activeAt(Instant)}), so it ends on every node at
 * once without timers. Immutable and thread-safe.
 *
 * @param id the grant's id (1 to 64 characters of {@code [A-Za-z0-9_-]})
 * @param conversationId the conversation opened
 * @param doctorId the doctor who broke the glass
 * @param reason why, as the doctor wrote it; stores keep it sealed
 * @param grantedAt when it began
 * @param expiresAt when it ends, after {@code grantedAt}
 */
public record BreakGlassGrant(String id, ConversationId conversationId, UserId doctorId, String reason,
        Instant grantedAt, Instant expiresAt) {

    /** Checks the fields. */
    public BreakGlassGrant {
        id = Ids.check(id, "BreakGlassGrant id");
        requireNonNull(conversationId, "conversationId");
        requireNonNull(doctorId, "doctorId");
        requireNonNull(reason, "reason");
        requireNonNull(grantedAt, "grantedAt");
        requireNonNull(expiresAt, "expiresAt");
        if (!expiresAt.isAfter(grantedAt)) {
            throw new IllegalArgumentException("a grant must expire after it is granted");
        }
    }

    /**
     * Tells whether the grant holds at an instant: from {@link #grantedAt()} until, not including,
     * {@link #expiresAt()}.
     *
     * @param now the instant
     * @return true while access lasts
     */
    public boolean activeAt(Instant now) {
        return !now.isBefore(grantedAt) && now.isBefore(expiresAt);
    }

    /**
     * The same grant with another reason text, as stores swap the clear text and its sealed form.
     *
     * @param text the reason to carry
     * @return the grant with it
     */
    public BreakGlassGrant withReason(String text) {
        return new BreakGlassGrant(id, conversationId, doctorId, text, grantedAt, expiresAt);
    }

    /** Names ids and times only, never the reason. */
    @Override
    public String toString() {
        return "BreakGlassGrant[id=" + id + ", conversationId=" + conversationId + ", doctorId=" + doctorId
                + ", grantedAt=" + grantedAt + ", expiresAt=" + expiresAt + "]";
    }
}
