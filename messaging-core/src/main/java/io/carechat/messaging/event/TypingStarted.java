package io.carechat.messaging.event;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.UserId;
import java.util.List;

/**
 * A member is typing. Not stored; the other members' sessions are told.
 *
 * @param conversationId the conversation
 * @param userId who types
 * @param memberIds the conversation's members
 */
public record TypingStarted(ConversationId conversationId, UserId userId, List<UserId> memberIds)
        implements MessagingEvent {

    /** Checks the fields and copies the list. */
    public TypingStarted {
        requireNonNull(conversationId, "conversationId");
        requireNonNull(userId, "userId");
        memberIds = List.copyOf(memberIds);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.visitTypingStarted(this);
    }
}
