package io.carechat.messaging.model;

import static java.util.Objects.requireNonNull;

/**
 * One member's position in one conversation. Immutable and thread-safe.
 *
 * @param conversationId the conversation
 * @param userId the member
 * @param deliveredSeq the highest {@code seq} the member's devices received; only rises
 * @param readSeq the highest {@code seq} the member read; only rises, never above
 *     {@code deliveredSeq}
 * @param unread how many messages others sent with a {@code seq} above {@code readSeq}
 */
public record MemberState(
        ConversationId conversationId, UserId userId, long deliveredSeq, long readSeq, long unread) {

    /** Checks the fields. */
    public MemberState {
        requireNonNull(conversationId, "conversationId");
        requireNonNull(userId, "userId");
        if (deliveredSeq < 0 || readSeq < 0 || unread < 0) {
            throw new IllegalArgumentException("seq and counts are never negative");
        }
        if (readSeq > deliveredSeq) {
            throw new IllegalArgumentException("readSeq cannot exceed deliveredSeq");
        }
    }
}
