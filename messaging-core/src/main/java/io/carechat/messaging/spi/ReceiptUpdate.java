package io.carechat.messaging.spi;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.MemberState;

/**
 * What a receipt did to a member's position.
 *
 * @param member the member's state after the receipt
 * @param advanced true when the position rose; false when the receipt was at or below it
 */
public record ReceiptUpdate(MemberState member, boolean advanced) {

    /** Checks the fields. */
    public ReceiptUpdate {
        requireNonNull(member, "member");
    }
}
