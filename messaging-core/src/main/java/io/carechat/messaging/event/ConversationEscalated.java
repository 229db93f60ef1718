package io.carechat.messaging.event;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.UserId;
import java.util.List;

/**
 * A patient's urgent message that no doctor member read in time escalated, and the on-call
 * doctors' memberships are committed. Published once per escalation, by the node that won its
 * claim; every node's hub sends the on-call doctors' sockets a {@code notice} of kind
 * {@code escalation}. Carries ids only, never content or names. Immutable and thread-safe.
 *
 * @param conversationId the conversation
 * @param seq the urgent message
 * @param doctorIds the on-call doctors told, in roster order
 */
public record ConversationEscalated(ConversationId conversationId, long seq, List<UserId> doctorIds)
        implements MessagingEvent {

    /** Checks the fields and copies the list. */
    public ConversationEscalated {
        requireNonNull(conversationId, "conversationId");
        doctorIds = List.copyOf(doctorIds);
        if (seq < 1) {
            throw new IllegalArgumentException("seq starts at 1");
        }
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.visitConversationEscalated(this);
    }
}
