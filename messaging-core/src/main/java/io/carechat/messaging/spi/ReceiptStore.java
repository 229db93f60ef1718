package io.carechat.messaging.spi;

import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.error.NotFoundException;
import io.carechat.messaging.model.UnreadCounts;
import io.carechat.messaging.model.UserId;

/**
 * Moves members' delivered and read positions and answers unread counts. Positions only rise; a
 * {@code seq} above the conversation's last is taken as the last. Implementations are
 * thread-safe.
 */
public interface ReceiptStore {

    /**
     * Raises a member's {@code deliveredSeq}.
     *
     * @param id the conversation
     * @param userId the member
     * @param seq the new position
     * @return the member's state and whether it rose
     * @throws NotFoundException if the user is not a member
     */
    ReceiptUpdate markDelivered(ConversationId id, UserId userId, long seq);

    /**
     * Raises a member's {@code readSeq} (and {@code deliveredSeq} with it) and sets the unread
     * counter to the number of messages others sent after it.
     *
     * @param id the conversation
     * @param userId the member
     * @param seq the new position
     * @return the member's state and whether it rose
     * @throws NotFoundException if the user is not a member
     */
    ReceiptUpdate markRead(ConversationId id, UserId userId, long seq);

    /**
     * A user's unread counts over all their conversations.
     *
     * @param userId the user
     * @return the counts
     */
    UnreadCounts unread(UserId userId);
}
