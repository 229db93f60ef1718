package io.carechat.messaging.internal;

import io.carechat.messaging.BadRequestException;
import io.carechat.messaging.ConversationId;
import io.carechat.messaging.MemberState;
import io.carechat.messaging.Receipt;
import io.carechat.messaging.ReceiptKind;
import io.carechat.messaging.UnreadCounts;
import io.carechat.messaging.UserId;
import io.carechat.messaging.event.ReceiptAdvanced;
import io.carechat.messaging.spi.EventBus;
import io.carechat.messaging.spi.ReceiptStore;
import io.carechat.messaging.spi.ReceiptUpdate;

/**
 * Moves delivered and read positions, publishing a receipt only when one rose, and answers unread
 * counts. Not API. Thread-safe.
 */
public final class ReceiptService {
    private final ReceiptStore receipts;
    private final Membership membership;
    private final EventBus bus;

    /**
     * Creates the service.
     *
     * @param receipts the receipt store
     * @param membership the membership check
     * @param bus where receipts go
     */
    public ReceiptService(ReceiptStore receipts, Membership membership, EventBus bus) {
        this.receipts = receipts;
        this.membership = membership;
        this.bus = bus;
    }

    /**
     * Raises a member's delivered position.
     *
     * @param userId the member
     * @param conversationId the conversation
     * @param seq the position
     * @return the member's state afterwards
     */
    public MemberState markDelivered(UserId userId, ConversationId conversationId, long seq) {
        checkSeq(conversationId, userId, seq);
        ReceiptUpdate update = receipts.markDelivered(conversationId, userId, seq);
        if (update.advanced()) {
            publish(update.member(), ReceiptKind.DELIVERED, update.member().deliveredSeq());
        }
        return update.member();
    }

    /**
     * Raises a member's read position.
     *
     * @param userId the member
     * @param conversationId the conversation
     * @param seq the position
     * @return the member's state afterwards
     */
    public MemberState markRead(UserId userId, ConversationId conversationId, long seq) {
        checkSeq(conversationId, userId, seq);
        ReceiptUpdate update = receipts.markRead(conversationId, userId, seq);
        if (update.advanced()) {
            publish(update.member(), ReceiptKind.READ, update.member().readSeq());
        }
        return update.member();
    }

    /**
     * A user's unread counts.
     *
     * @param userId the user
     * @return the counts
     */
    public UnreadCounts unread(UserId userId) {
        return receipts.unread(userId);
    }

    private void checkSeq(ConversationId conversationId, UserId userId, long seq) {
        membership.require(conversationId, userId);
        if (seq < 0) {
            throw new BadRequestException("seq must not be negative");
        }
    }

    private void publish(MemberState member, ReceiptKind kind, long seq) {
        Receipt receipt = new Receipt(member.conversationId(), member.userId(), kind, seq);
        bus.publish(new ReceiptAdvanced(receipt, membership.memberIds(member.conversationId())));
    }
}
