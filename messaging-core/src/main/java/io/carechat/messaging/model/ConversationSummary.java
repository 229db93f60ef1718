package io.carechat.messaging.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A conversation as one member sees it in a list: its last {@code seq}, the member's own
 * position, and every member's position (for delivered and read marks). Immutable and thread-safe.
 *
 * @param conversation the conversation and its members
 * @param lastSeq the {@code seq} of its newest message, 0 when empty
 * @param lastMessageAt when the newest message was sent, null when empty
 * @param self the member's own delivered and read position and unread count
 * @param members every member's position (the member's own too), in the order of
 *     {@link Conversation#memberIds()}
 */
public record ConversationSummary(Conversation conversation, long lastSeq, @Nullable Instant lastMessageAt,
        MemberState self, List<MemberState> members) {

    /** Checks the fields and copies the list. */
    public ConversationSummary {
        requireNonNull(conversation, "conversation");
        requireNonNull(self, "self");
        members = List.copyOf(members);
        if (lastSeq < 0) {
            throw new IllegalArgumentException("lastSeq is never negative");
        }
        if (!members.stream().map(MemberState::userId).toList().equals(conversation.memberIds())) {
            throw new IllegalArgumentException("members must be the conversation's members, in its order");
        }
        if (!conversation.memberIds().contains(self.userId())) {
            throw new IllegalArgumentException("self must be one of the members");
        }
    }

    /**
     * When there was last activity: the newest message, or the creation when there is none.
     *
     * @return the instant to sort conversation lists by
     */
    public Instant lastActivityAt() {
        return lastMessageAt != null ? lastMessageAt : conversation.createdAt();
    }
}
