package io.carechat.messaging.spi;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.AttachmentRef;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.MessageId;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.model.UserId;
import java.time.Instant;
import java.util.List;

/**
 * A validated message for {@link MessageStore#append(NewMessage)}, before it has a {@code seq}.
 * {@link #toString()} leaves out the body.
 *
 * @param id the id to store it under (ignored when the append finds a duplicate)
 * @param conversationId the conversation
 * @param senderId the sender, a member
 * @param clientMsgId the sender's idempotency key
 * @param body the text
 * @param priority normal or urgent
 * @param attachments resolved attachment references
 * @param sentAt the time to record
 */
public record NewMessage(
        MessageId id,
        ConversationId conversationId,
        UserId senderId,
        String clientMsgId,
        String body,
        Priority priority,
        List<AttachmentRef> attachments,
        Instant sentAt) {

    /** Checks the fields and copies the list. */
    public NewMessage {
        requireNonNull(id, "id");
        requireNonNull(conversationId, "conversationId");
        requireNonNull(senderId, "senderId");
        requireNonNull(clientMsgId, "clientMsgId");
        requireNonNull(body, "body");
        requireNonNull(priority, "priority");
        requireNonNull(sentAt, "sentAt");
        attachments = List.copyOf(attachments);
    }

    @Override
    public String toString() {
        return "NewMessage[id=" + id + ", conversationId=" + conversationId + ", senderId="
                + senderId + "]";
    }
}
