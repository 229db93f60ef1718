package io.carechat.messaging.protocol;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.AttachmentRef;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.MessageId;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.model.UserId;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A message as one recipient sees it on the wire: the contract's "Message object". The
 * {@code clientMsgId} is present only in the copy addressed to the sender, so
 * {@link #of(Message, UserId)} is the one way the hub makes a view. A recalled message is a
 * tombstone on the wire: {@code recalled: true}, no body, no attachments. Immutable and thread-safe;
 * {@link #toString()} leaves out the body.
 *
 * @param id the message's id
 * @param conversationId the conversation
 * @param seq its place in the conversation
 * @param senderId who sent it
 * @param body the text
 * @param priority normal or urgent
 * @param sentAt when it was committed
 * @param clientMsgId the sender's idempotency key, only in the sender's copy
 * @param attachments the attachments it carries
 * @param recalled whether its sender recalled it (then body and attachments are empty)
 */
public record MessageView(
        MessageId id,
        ConversationId conversationId,
        long seq,
        UserId senderId,
        String body,
        Priority priority,
        Instant sentAt,
        @Nullable String clientMsgId,
        List<AttachmentRef> attachments,
        boolean recalled) {

    /**
     * The view of a message that was not recalled.
     *
     * @param id the message's id
     * @param conversationId the conversation
     * @param seq its place in the conversation
     * @param senderId who sent it
     * @param body the text
     * @param priority normal or urgent
     * @param sentAt when it was committed
     * @param clientMsgId the sender's idempotency key, only in the sender's copy
     * @param attachments the attachments it carries
     */
    public MessageView(MessageId id, ConversationId conversationId, long seq, UserId senderId, String body,
            Priority priority, Instant sentAt, @Nullable String clientMsgId, List<AttachmentRef> attachments) {
        this(id, conversationId, seq, senderId, body, priority, sentAt, clientMsgId, attachments, false);
    }

    /** Checks the fields and copies the list. */
    public MessageView {
        requireNonNull(id, "id");
        requireNonNull(conversationId, "conversationId");
        requireNonNull(senderId, "senderId");
        requireNonNull(body, "body");
        requireNonNull(priority, "priority");
        requireNonNull(sentAt, "sentAt");
        attachments = List.copyOf(attachments);
    }

    /**
     * The view of a message for one recipient.
     *
     * @param message the stored message
     * @param recipient who will receive the frame
     * @return the view, with the {@code clientMsgId} only when the recipient is the sender
     */
    public static MessageView of(Message message, UserId recipient) {
        requireNonNull(message, "message");
        requireNonNull(recipient, "recipient");
        String clientMsgId = message.senderId().equals(recipient) ? message.clientMsgId() : null;
        return new MessageView(message.id(), message.conversationId(), message.seq(), message.senderId(),
                message.recalled() ? "" : message.body(), message.priority(), message.sentAt(), clientMsgId,
                message.recalled() ? List.of() : message.attachments(), message.recalled());
    }

    /** Names the message without its body. */
    @Override
    public String toString() {
        return "MessageView[id=" + id + ", conversationId=" + conversationId + ", seq=" + seq
                + ", senderId=" + senderId + ", priority=" + priority + "]";
    }
}
