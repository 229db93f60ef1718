package io.carechat.messaging.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A conversation and who belongs to it. Immutable and thread-safe.
 *
 * @param id the conversation's id
 * @param kind direct (two users) or group
 * @param memberIds the members, in the order they joined; a direct conversation has its two users
 *     first, then any on-call doctors an urgent escalation added
 * @param createdAt when it was created
 * @param title a group's title (a care team's name, 1 to 100 characters), null for a direct
 *     conversation
 */
public record Conversation(
        ConversationId id, ConversationKind kind, List<UserId> memberIds, Instant createdAt,
        @Nullable String title) {

    /** The longest title of a group. */
    public static final int MAX_TITLE_CHARS = 100;

    /**
     * A conversation without a title, as a direct conversation is.
     *
     * @param id the conversation's id
     * @param kind direct or group
     * @param memberIds the members
     * @param createdAt when it was created
     */
    public Conversation(ConversationId id, ConversationKind kind, List<UserId> memberIds, Instant createdAt) {
        this(id, kind, memberIds, createdAt, null);
    }

    /** Checks the fields and copies the member list. */
    public Conversation {
        requireNonNull(id, "id");
        requireNonNull(kind, "kind");
        requireNonNull(createdAt, "createdAt");
        memberIds = List.copyOf(memberIds);
        if (kind == ConversationKind.DIRECT && memberIds.size() < 2) {
            throw new IllegalArgumentException("a direct conversation has at least its two users");
        }
        if (memberIds.stream().distinct().count() != memberIds.size()) {
            throw new IllegalArgumentException("members must be distinct");
        }
        if (title != null && (title.isBlank() || title.length() > MAX_TITLE_CHARS)) {
            throw new IllegalArgumentException("a title has 1 to " + MAX_TITLE_CHARS + " characters");
        }
    }

    /**
     * The same conversation with other members, as after a member joined or left a group.
     *
     * @param members the members now
     * @return the conversation with them
     */
    public Conversation withMembers(List<UserId> members) {
        return new Conversation(id, kind, members, createdAt, title);
    }

    /**
     * Tells whether a user is a member.
     *
     * @param userId the user
     * @return true if a member
     */
    public boolean hasMember(UserId userId) {
        return memberIds.contains(userId);
    }
}
