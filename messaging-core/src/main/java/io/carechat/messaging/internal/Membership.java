package io.carechat.messaging.internal;

import io.carechat.messaging.ConversationId;
import io.carechat.messaging.MemberState;
import io.carechat.messaging.NotFoundException;
import io.carechat.messaging.UserId;
import io.carechat.messaging.spi.ConversationStore;
import java.util.List;

/**
 * The membership check every read and write in a conversation goes through. A conversation the
 * caller is not a member of is "not found", never "forbidden", so ids cannot be probed. Not API.
 * Thread-safe.
 */
public final class Membership {
    /** The message of every failed membership check, the same for missing and foreign ones. */
    public static final String CONVERSATION_NOT_FOUND = "conversation not found";

    private final ConversationStore conversations;

    /**
     * Creates the check.
     *
     * @param conversations the store holding the members
     */
    public Membership(ConversationStore conversations) {
        this.conversations = conversations;
    }

    /**
     * The caller's state in a conversation, checked against the store.
     *
     * @param conversationId the conversation
     * @param userId the user
     * @return the member's state
     * @throws NotFoundException if the conversation does not exist or the user is not a member
     */
    public MemberState require(ConversationId conversationId, UserId userId) {
        return conversations.member(conversationId, userId)
                .orElseThrow(() -> new NotFoundException(CONVERSATION_NOT_FOUND));
    }

    /**
     * Every member's state, for a user who must be one of them: one store call that is also the
     * membership check.
     *
     * @param conversationId the conversation
     * @param userId the user
     * @return the members' states, in member order
     * @throws NotFoundException if the conversation does not exist or the user is not a member
     */
    public List<MemberState> requireAll(ConversationId conversationId, UserId userId) {
        List<MemberState> members = conversations.members(conversationId);
        if (members.stream().noneMatch(m -> m.userId().equals(userId))) {
            throw new NotFoundException(CONVERSATION_NOT_FOUND);
        }
        return members;
    }

    /**
     * The ids of every member, for addressing events.
     *
     * @param conversationId the conversation
     * @return the members, empty if there is no such conversation
     */
    public List<UserId> memberIds(ConversationId conversationId) {
        return conversations.members(conversationId).stream().map(m -> m.userId()).toList();
    }
}
