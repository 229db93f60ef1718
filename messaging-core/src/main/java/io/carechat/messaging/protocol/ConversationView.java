package io.carechat.messaging.protocol;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.ConversationId;
import io.carechat.messaging.ConversationKind;
import io.carechat.messaging.ConversationSummary;
import io.carechat.messaging.UserId;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A conversation as one member sees it in {@code ready} and {@code conversations} frames: the
 * conversation, its members, its last {@code seq}, and the member's own delivered and read
 * positions and unread count. Immutable and thread-safe.
 *
 * @param id the conversation's id
 * @param kind direct or group
 * @param memberIds the members
 * @param createdAt when it was created
 * @param lastSeq the newest message's {@code seq}, 0 when empty
 * @param lastMessageAt when the newest message was sent, null when empty
 * @param deliveredSeq the member's delivered position
 * @param readSeq the member's read position
 * @param unread the member's unread count
 */
public record ConversationView(
        ConversationId id,
        ConversationKind kind,
        List<UserId> memberIds,
        Instant createdAt,
        long lastSeq,
        @Nullable Instant lastMessageAt,
        long deliveredSeq,
        long readSeq,
        long unread) {

    /** Checks the fields and copies the list. */
    public ConversationView {
        requireNonNull(id, "id");
        requireNonNull(kind, "kind");
        requireNonNull(createdAt, "createdAt");
        memberIds = List.copyOf(memberIds);
    }

    /**
     * The view of a member's summary.
     *
     * @param summary the summary
     * @return the view
     */
    public static ConversationView of(ConversationSummary summary) {
        requireNonNull(summary, "summary");
        return new ConversationView(summary.conversation().id(), summary.conversation().kind(),
                summary.conversation().memberIds(), summary.conversation().createdAt(), summary.lastSeq(),
                summary.lastMessageAt(), summary.self().deliveredSeq(), summary.self().readSeq(),
                summary.self().unread());
    }
}
