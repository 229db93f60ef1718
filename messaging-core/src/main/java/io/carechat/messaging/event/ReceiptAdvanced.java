package io.carechat.messaging.event;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.Receipt;
import io.carechat.messaging.model.UserId;
import java.util.List;

/**
 * A member's delivered or read position rose. Other members get a receipt; on a read, the reader's
 * own sessions get their new unread counts.
 *
 * @param receipt the new position
 * @param memberIds the conversation's members
 */
public record ReceiptAdvanced(Receipt receipt, List<UserId> memberIds) implements MessagingEvent {

    /** Checks the fields and copies the list. */
    public ReceiptAdvanced {
        requireNonNull(receipt, "receipt");
        memberIds = List.copyOf(memberIds);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.visitReceiptAdvanced(this);
    }
}
