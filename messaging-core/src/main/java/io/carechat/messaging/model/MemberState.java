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
 * @param joinedSeq the conversation's last {@code seq} when the member joined: the member sees
 *     messages after it only (0 for a founding member, who sees everything)
 */
public record MemberState(
        ConversationId conversationId, UserId userId, long deliveredSeq, long readSeq, long unread, long joinedSeq) {

    /**
     * The state of a founding member, who sees the whole conversation.
     *
     * @param conversationId the conversation
     * @param userId the member
     * @param deliveredSeq the delivered position
     * @param readSeq the read position
     * @param unread the unread count
     */
    public MemberState(ConversationId conversationId, UserId userId, long deliveredSeq, long readSeq, long unread) {
        this(conversationId, userId, deliveredSeq, readSeq, unread, 0);
    }

    /** Checks the fields. */
    public MemberState {
        requireNonNull(conversationId, "conversationId");
        requireNonNull(userId, "userId");
        if (deliveredSeq < 0 || readSeq < 0 || unread < 0 || joinedSeq < 0) {
            throw new IllegalArgumentException("seq and counts are never negative");
        }
        if (readSeq > deliveredSeq) {
            throw new IllegalArgumentException("readSeq cannot exceed deliveredSeq");
        }
        if (readSeq < joinedSeq) {
            throw new IllegalArgumentException("a member's positions start where they joined");
        }
    }

    /**
     * The same member with new positions, keeping where they joined.
     *
     * @param delivered the delivered position
     * @param read the read position
     * @param unreadCount the unread count
     * @return the new state
     */
    public MemberState at(long delivered, long read, long unreadCount) {
        return new MemberState(conversationId, userId, delivered, read, unreadCount, joinedSeq);
    }
}
