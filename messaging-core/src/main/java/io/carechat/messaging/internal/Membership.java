package io.carechat.messaging.internal;

import io.carechat.messaging.event.MembersChanged;
import io.carechat.messaging.event.Resync;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.MemberState;
import io.carechat.messaging.error.NotFoundException;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.ConversationStore;
import io.carechat.messaging.spi.EventBus;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The membership check every read and write in a conversation goes through. A conversation the
 * caller is not a member of is "not found", never "forbidden", so ids cannot be probed. Not API.
 * Thread-safe. Lifecycle: listens to the bus from creation until {@link #close()}.
 *
 * <p>The member ids of a conversation are remembered once read. A direct conversation's members
 * never change; a group's change when a member is added or removed, and then a
 * {@link MembersChanged} event, on every node through the bus, makes this class forget the group
 * (the node that made the change forgets it at once, through {@link #forget}). A {@link Resync},
 * which a bus delivers when it may have lost events, forgets every group. Sends and event
 * addressing use the remembered list and cost no store read; the store still checks the sender's
 * membership inside the append's transaction. Reads that need a member's state ({@link #require})
 * still ask the store. At most {@link #CAPACITY} conversations are remembered; beyond that the
 * memory is emptied, which costs one read per active conversation.
 */
public final class Membership implements AutoCloseable {
    /** The most conversations whose members are remembered at once. */
    public static final int CAPACITY = 100_000;

    private final ConversationStore conversations;
    private final Map<ConversationId, List<UserId>> memberIds = new ConcurrentHashMap<>();
    /** Counts forgotten groups, so a read that raced a change does not remember a stale list. */
    private final AtomicLong changes = new AtomicLong();
    private final EventBus.Subscription subscription;

    /**
     * Creates the check and subscribes it to the bus.
     *
     * @param conversations the store holding the members
     * @param bus the bus carrying {@link MembersChanged} and {@link Resync}
     */
    public Membership(ConversationStore conversations, EventBus bus) {
        this.conversations = conversations;
        this.subscription = bus.subscribe(event -> {
            if (event instanceof MembersChanged changed) {
                forget(changed.conversationId());
            } else if (event instanceof Resync) {
                changes.incrementAndGet();
                memberIds.clear();
            }
        });
    }

    /**
     * Forgets a conversation's remembered members, after they changed.
     *
     * @param conversationId the conversation
     */
    public void forget(ConversationId conversationId) {
        changes.incrementAndGet();
        memberIds.remove(conversationId);
    }

    /**
     * How many times remembered members were forgotten so far: a caller that read members before
     * a change can tell that they may be stale.
     *
     * @return the count, only rising
     */
    public long changes() {
        return changes.get();
    }

    /** Stops listening to the bus. Idempotent. */
    @Override
    public void close() {
        subscription.close();
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
        long changesBefore = changes.get();
        List<UserId> members = conversations.members(conversationId).stream().map(m -> m.userId()).toList();
        if (!members.isEmpty()) {
            if (memberIds.size() >= CAPACITY) {
                memberIds.clear();
            }
            memberIds.put(conversationId, members);
            if (changes.get() != changesBefore) {
                memberIds.remove(conversationId);
            }
        }
        return members;
    }
}
