package io.carechat.messaging.event;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.ConversationMember;
import io.carechat.messaging.model.UserId;
import java.util.ArrayList;
import java.util.List;

/**
 * A member was added to or removed from a group, and the change is committed. Every node forgets
 * the group's remembered members; the hub sends every member's sockets, and the removed member's,
 * a {@code members} frame with the group's members now.
 *
 * <p>On an {@link io.carechat.messaging.spi.EventBus} that leaves its node, the event travels by
 * ids only; the receiving node reads the members, with names and roles, from the store.
 *
 * @param conversationId the group
 * @param userId the member added or removed
 * @param change whether they were added or removed
 * @param members the group's members after the change, with names, roles, positions and
 *     {@code joinedSeq}
 */
public record MembersChanged(ConversationId conversationId, UserId userId, Change change,
        List<ConversationMember> members) implements MessagingEvent {

    /** What happened to the member. */
    public enum Change {
        /** They became a member. */
        ADDED,
        /** They stopped being a member. */
        REMOVED
    }

    /** Checks the fields and copies the list. */
    public MembersChanged {
        requireNonNull(conversationId, "conversationId");
        requireNonNull(userId, "userId");
        requireNonNull(change, "change");
        members = List.copyOf(members);
    }

    /**
     * The ids of the group's members after the change.
     *
     * @return the member ids, in member order
     */
    public List<UserId> memberIds() {
        return members.stream().map(ConversationMember::id).toList();
    }

    /**
     * Who is told of the change: the members after it, and the removed member.
     *
     * @return the users to tell
     */
    public List<UserId> audience() {
        List<UserId> audience = new ArrayList<>(memberIds());
        if (!audience.contains(userId)) {
            audience.add(userId);
        }
        return audience;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.visitMembersChanged(this);
    }

    @Override
    public String toString() {
        return "MembersChanged[conversationId=" + conversationId + ", userId=" + userId + ", change=" + change
                + ", members=" + members.size() + "]";
    }
}
