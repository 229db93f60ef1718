package io.carechat.messaging.event;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.UserId;
import java.time.Instant;
import java.util.List;

/**
 * A sender recalled one of their messages; every member's sessions are told, so that clients show
 * the message as recalled in place. Carries ids and times only, never content or the reason.
 *
 * @param conversationId the conversation
 * @param seq the recalled message's place
 * @param recalledAt when it was recalled
 * @param memberIds the conversation's members
 */
public record MessageRecalled(ConversationId conversationId, long seq, Instant recalledAt, List<UserId> memberIds)
        implements MessagingEvent {

    /** Checks the fields and copies the list. */
    public MessageRecalled {
        requireNonNull(conversationId, "conversationId");
        requireNonNull(recalledAt, "recalledAt");
        if (seq < 1) {
            throw new IllegalArgumentException("seq starts at 1");
        }
        memberIds = List.copyOf(memberIds);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.visitMessageRecalled(this);
    }
}
