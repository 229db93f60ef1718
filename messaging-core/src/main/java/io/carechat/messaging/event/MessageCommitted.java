package io.carechat.messaging.event;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.UserId;
import java.util.List;

/**
 * A message was committed. Every member, the sender included (for their other devices), gets it.
 *
 * @param message the stored message
 * @param memberIds the conversation's members
 */
public record MessageCommitted(Message message, List<UserId> memberIds) implements MessagingEvent {

    /** Checks the fields and copies the list. */
    public MessageCommitted {
        requireNonNull(message, "message");
        memberIds = List.copyOf(memberIds);
    }
}
