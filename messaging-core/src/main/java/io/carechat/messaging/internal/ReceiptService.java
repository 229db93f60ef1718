package io.carechat.messaging.internal;

import io.carechat.messaging.error.BadRequestException;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.MemberState;
import io.carechat.messaging.model.Receipt;
import io.carechat.messaging.model.ReceiptKind;
import io.carechat.messaging.model.UnreadCounts;
import io.carechat.messaging.model.UserId;
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
    private final Auditor auditor;

    /**
     * Creates the service.
     *
     * @param receipts the receipt store
     * @param membership the membership check
     * @param bus where receipts go
     * @param auditor records every receipt
     */
    public ReceiptService(ReceiptStore receipts, Membership membership, EventBus bus, Auditor auditor) {
        this.receipts = receipts;
        this.membership = membership;
        this.bus = bus;
        this.auditor = auditor;
    }

    /**
     * Raises a member's delivered position.
     *
     * @param caller the member
     * @param conversationId the conversation
     * @param seq the position
     * @return the member's state afterwards
     */
    public MemberState markDelivered(Caller caller, ConversationId conversationId, long seq) {
        UserId userId = caller.userId();
        checkSeq(caller, conversationId, seq, "receipt.delivered");
        ReceiptUpdate update = receipts.markDelivered(conversationId, userId, seq);
        if (update.advanced()) {
            publish(update.member(), ReceiptKind.DELIVERED, update.member().deliveredSeq());
        }
        return update.member();
    }

    /**
     * Raises a member's read position.
     *
     * @param caller the member
     * @param conversationId the conversation
     * @param seq the position
     * @return the member's state afterwards
     */
    public MemberState markRead(Caller caller, ConversationId conversationId, long seq) {
        UserId userId = caller.userId();
        checkSeq(caller, conversationId, seq, "receipt.read");
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

    private void checkSeq(Caller caller, ConversationId conversationId, long seq, String action) {
        auditor.requireMember(caller, conversationId, action);
        if (seq < 0) {
            throw new BadRequestException("seq must not be negative");
        }
        auditor.access(caller, action, conversationId);
    }

    private void publish(MemberState member, ReceiptKind kind, long seq) {
        Receipt receipt = new Receipt(member.conversationId(), member.userId(), kind, seq);
        bus.publish(new ReceiptAdvanced(receipt, membership.memberIds(member.conversationId())));
    }
}
