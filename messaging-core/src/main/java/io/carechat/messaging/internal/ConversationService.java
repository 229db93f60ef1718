package io.carechat.messaging.internal;

import io.carechat.messaging.error.BadRequestException;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.ConversationSummary;
import io.carechat.messaging.error.ForbiddenException;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.event.TypingStarted;
import io.carechat.messaging.spi.AccessPolicy;
import io.carechat.messaging.spi.ConversationStore;
import io.carechat.messaging.spi.EventBus;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens direct conversations, lists a user's conversations and relays typing. Not API.
 * Thread-safe.
 */
public final class ConversationService {
    private static final Logger LOG = LoggerFactory.getLogger(ConversationService.class);

    private final ConversationStore conversations;
    private final ActiveUsers users;
    private final AccessPolicy policy;
    private final Membership membership;
    private final EventBus bus;
    private final Clock clock;
    private final int maxConversations;
    private final Auditor auditor;

    /**
     * Creates the service.
     *
     * @param conversations the conversation store
     * @param users loads stored users
     * @param policy who may open a conversation with whom
     * @param membership the membership check
     * @param bus where typing goes
     * @param clock the time source
     * @param maxConversations the most conversations one listing returns
     * @param auditor records every conversation opened or refused
     */
    public ConversationService(ConversationStore conversations, ActiveUsers users, AccessPolicy policy,
            Membership membership, EventBus bus, Clock clock, int maxConversations, Auditor auditor) {
        this.conversations = conversations;
        this.users = users;
        this.policy = policy;
        this.membership = membership;
        this.bus = bus;
        this.clock = clock;
        this.maxConversations = maxConversations;
        this.auditor = auditor;
    }

    /**
     * Opens or returns the direct conversation between the caller and another user.
     *
     * @param callerContext the caller
     * @param with the other user
     * @return the conversation
     */
    public Conversation openDirect(Caller callerContext, UserId with) {
        UserId callerId = callerContext.userId();
        if (callerId.equals(with)) {
            throw new BadRequestException("cannot open a conversation with oneself");
        }
        User caller = users.caller(callerId);
        User other = users.other(with);
        if (!policy.mayMessage(caller, other)) {
            LOG.debug("policy refused a conversation from {} to {}", callerId, with);
            auditor.refused(callerContext, "conversation.open", "user", with.value(), "forbidden");
            throw new ForbiddenException("not allowed to message this user");
        }
        Conversation conversation =
                conversations.openDirect(ConversationId.random(), callerId, with, clock.instant());
        auditor.access(callerContext, "conversation.open", conversation.id());
        LOG.debug("direct conversation {} open between {} and {}", conversation.id(), callerId, with);
        return conversation;
    }

    /**
     * The user's conversations, newest activity first.
     *
     * @param userId the member
     * @return the summaries
     */
    public List<ConversationSummary> listFor(UserId userId) {
        return conversations.listFor(userId, maxConversations);
    }

    /**
     * Tells the other members that a member is typing.
     *
     * @param caller the member
     * @param conversationId the conversation
     */
    public void typing(Caller caller, ConversationId conversationId) {
        UserId userId = caller.userId();
        auditor.requireMember(caller, conversationId, "typing");
        bus.publish(new TypingStarted(conversationId, userId, membership.memberIds(conversationId)));
    }
}
