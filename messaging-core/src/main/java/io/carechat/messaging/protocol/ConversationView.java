package io.carechat.messaging.protocol;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.ConversationKind;
import io.carechat.messaging.model.ConversationMember;
import io.carechat.messaging.model.ConversationOverview;
import io.carechat.messaging.model.ConversationSummary;
import io.carechat.messaging.model.UserId;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A conversation as one member sees it in {@code ready} and {@code conversations} frames: the
 * conversation, its members (ids, and names, roles and positions), its last {@code seq}, and the
 * member's own delivered and read positions and unread count. Immutable and thread-safe.
 *
 * @param id the conversation's id
 * @param kind direct or group
 * @param memberIds the members' ids
 * @param members the members with their display names, roles and delivered and read positions
 * @param createdAt when it was created
 * @param lastSeq the newest message's {@code seq}, 0 when empty
 * @param lastMessageAt when the newest message was sent, null when empty
 * @param deliveredSeq the member's delivered position
 * @param readSeq the member's read position
 * @param unread the member's unread count
 * @param title a group's title, null for a direct conversation
 */
public record ConversationView(
        ConversationId id,
        ConversationKind kind,
        List<UserId> memberIds,
        List<ConversationMember> members,
        Instant createdAt,
        long lastSeq,
        @Nullable Instant lastMessageAt,
        long deliveredSeq,
        long readSeq,
        long unread,
        @Nullable String title) {

    /**
     * The view of a conversation without a title, as a direct conversation is.
     *
     * @param id the conversation's id
     * @param kind direct or group
     * @param memberIds the members' ids
     * @param members the members
     * @param createdAt when it was created
     * @param lastSeq the newest message's {@code seq}
     * @param lastMessageAt when the newest message was sent, null when empty
     * @param deliveredSeq the member's delivered position
     * @param readSeq the member's read position
     * @param unread the member's unread count
     */
    public ConversationView(ConversationId id, ConversationKind kind, List<UserId> memberIds,
            List<ConversationMember> members, Instant createdAt, long lastSeq, @Nullable Instant lastMessageAt,
            long deliveredSeq, long readSeq, long unread) {
        this(id, kind, memberIds, members, createdAt, lastSeq, lastMessageAt, deliveredSeq, readSeq, unread, null);
    }

    /** Checks the fields and copies the lists. */
    public ConversationView {
        requireNonNull(id, "id");
        requireNonNull(kind, "kind");
        requireNonNull(createdAt, "createdAt");
        memberIds = List.copyOf(memberIds);
        members = List.copyOf(members);
    }

    /**
     * The view of a conversation in the member's list.
     *
     * @param overview the conversation with its members
     * @return the view
     */
    public static ConversationView of(ConversationOverview overview) {
        requireNonNull(overview, "overview");
        ConversationSummary summary = overview.summary();
        return new ConversationView(summary.conversation().id(), summary.conversation().kind(),
                summary.conversation().memberIds(), overview.members(), summary.conversation().createdAt(),
                summary.lastSeq(), summary.lastMessageAt(), summary.self().deliveredSeq(), summary.self().readSeq(),
                summary.self().unread(), summary.conversation().title());
    }
}
