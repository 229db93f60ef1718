package io.carechat.messaging.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * A conversation and who belongs to it. Immutable and thread-safe.
 *
 * @param id the conversation's id
 * @param kind direct (two users) or group
 * @param memberIds the members, in the order they joined; a direct conversation has two
 * @param createdAt when it was created
 */
public record Conversation(
        ConversationId id, ConversationKind kind, List<UserId> memberIds, Instant createdAt) {

    /** Checks the fields and copies the member list. */
    public Conversation {
        requireNonNull(id, "id");
        requireNonNull(kind, "kind");
        requireNonNull(createdAt, "createdAt");
        memberIds = List.copyOf(memberIds);
        if (kind == ConversationKind.DIRECT && memberIds.size() != 2) {
            throw new IllegalArgumentException("a direct conversation has exactly two members");
        }
        if (memberIds.stream().distinct().count() != memberIds.size()) {
            throw new IllegalArgumentException("members must be distinct");
        }
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
