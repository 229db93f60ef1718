package io.carechat.messaging;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A conversation as one member sees it in a list: its last {@code seq} and the member's own
 * position. Immutable and thread-safe.
 *
 * @param conversation the conversation and its members
 * @param lastSeq the {@code seq} of its newest message, 0 when empty
 * @param lastMessageAt when the newest message was sent, null when empty
 * @param self the member's own delivered and read position and unread count
 */
public record ConversationSummary(
        Conversation conversation, long lastSeq, @Nullable Instant lastMessageAt, MemberState self) {

    /** Checks the fields. */
    public ConversationSummary {
        requireNonNull(conversation, "conversation");
        requireNonNull(self, "self");
        if (lastSeq < 0) {
            throw new IllegalArgumentException("lastSeq is never negative");
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
