package io.carechat.messaging.tck.history;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.MessageId;
import io.carechat.messaging.model.UserId;

/**
 * A message as the server holds it at the end of a run, read back through its API or storage.
 *
 * @param conversationId its conversation
 * @param id its id
 * @param seq its place in the conversation
 * @param senderId who sent it
 * @param clientMsgId the sender's idempotency key
 */
public record StoredMessage(ConversationId conversationId, MessageId id, long seq, UserId senderId, String clientMsgId) {
    /** Checks the values. */
    public StoredMessage {
        requireNonNull(conversationId, "conversationId");
        requireNonNull(id, "id");
        requireNonNull(senderId, "senderId");
        requireNonNull(clientMsgId, "clientMsgId");
    }
}
