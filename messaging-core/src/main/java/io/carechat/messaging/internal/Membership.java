package io.carechat.messaging.internal;

import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.MemberState;
import io.carechat.messaging.error.NotFoundException;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.ConversationStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The membership check every read and write in a conversation goes through. A conversation the
 * caller is not a member of is "not found", never "forbidden", so ids cannot be probed. Not API.
 * Thread-safe.
 *
 * <p>The member ids of a conversation are remembered once read: a conversation's members are fixed
 * when it is created (no operation adds or removes one), so the remembered list never goes stale,
 * on this node or another. Sends and event addressing use it and cost no store read; the store
 * still checks the sender's membership inside the append's transaction. Reads that need a
 * member's state ({@link #require}) still ask the store. At most {@link #CAPACITY} conversations
 * are remembered; beyond that the memory is emptied, which costs one read per active
 * conversation. An operation that changes membership must publish an event that makes this class
 * forget the conversation.
 */
public final class Membership {
    /** The most conversations whose members are remembered at once. */
    public static final int CAPACITY = 100_000;

    private final ConversationStore conversations;
    private final Map<ConversationId, List<UserId>> memberIds = new ConcurrentHashMap<>();

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
                .orElseThrow(() -> NotFoundException.conversation());
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
            throw NotFoundException.conversation();
        }
        return members;
    }

    /**
     * The ids of every member, for a user who must be one of them, from memory when known.
     *
     * @param conversationId the conversation
     * @param userId the user
     * @return the members, in member order
     * @throws NotFoundException if the conversation does not exist or the user is not a member
     */
    public List<UserId> requireMemberIds(ConversationId conversationId, UserId userId) {
        List<UserId> members = memberIds(conversationId);
        if (!members.contains(userId)) {
            throw NotFoundException.conversation();
        }
        return members;
    }

    /**
     * Tells whether a user is a member, without throwing.
     *
     * @param conversationId the conversation
     * @param userId the user
     * @return true if a member
     */
    public boolean isMember(ConversationId conversationId, UserId userId) {
        return conversations.member(conversationId, userId).isPresent();
    }

    /**
     * The ids of every member, for addressing events.
     *
     * @param conversationId the conversation
     * @return the members, empty if there is no such conversation
     */
    public List<UserId> memberIds(ConversationId conversationId) {
        List<UserId> known = memberIds.get(conversationId);
        if (known != null) {
            return known;
        }
        List<UserId> members = conversations.members(conversationId).stream().map(m -> m.userId()).toList();
        if (!members.isEmpty()) {
            if (memberIds.size() >= CAPACITY) {
                memberIds.clear();
            }
            memberIds.put(conversationId, members);
        }
        return members;
    }
}
