package io.carechat.messaging.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One stretch of time during which a user was a member of a conversation: the record that lets an
 * audit or an access log say who could read what, and when. A member who leaves and is added again
 * has two periods. Immutable and thread-safe.
 *
 * @param conversationId the conversation
 * @param userId the member
 * @param joinedAt when they became a member
 * @param joinedSeq the conversation's last {@code seq} then: they could read messages after it
 * @param leftAt when they stopped being a member, null while they still are
 * @param leftSeq the conversation's last {@code seq} when they left (they could read up to it),
 *     null while they still are a member
 */
public record MembershipPeriod(ConversationId conversationId, UserId userId, Instant joinedAt, long joinedSeq,
        @Nullable Instant leftAt, @Nullable Long leftSeq) {

    /** Checks the fields. */
    public MembershipPeriod {
        requireNonNull(conversationId, "conversationId");
        requireNonNull(userId, "userId");
        requireNonNull(joinedAt, "joinedAt");
        if (joinedSeq < 0) {
            throw new IllegalArgumentException("joinedSeq is never negative");
        }
        if ((leftAt == null) != (leftSeq == null)) {
            throw new IllegalArgumentException("leftAt and leftSeq are set together");
        }
        if (leftSeq != null && leftSeq < joinedSeq) {
            throw new IllegalArgumentException("a member leaves after joining");
        }
    }

    /**
     * Tells whether the period is still going on.
     *
     * @return true while the user is a member
     */
    public boolean current() {
        return leftAt == null;
    }
}
