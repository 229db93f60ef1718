package io.carechat.messaging.spi;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.AttachmentRef;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.MessageId;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.model.UserId;
import java.time.Instant;
import java.util.List;

/**
 * A message's stored (sealed) body and attachment references and where it is, as
 * {@link MessageBodyStore} scans them, with the columns its seal binds. Immutable and thread-safe;
 * {@link #toString()} leaves out the body and the attachments.
 *
 * @param conversationId the conversation
 * @param seq the message's place in it
 * @param messageId the message
 * @param sentAt when it was sent
 * @param body the body exactly as stored
 * @param senderId who sent it
 * @param priority its priority
 * @param attachments its attachment references exactly as stored (names sealed)
 */
public record StoredBody(ConversationId conversationId, long seq, MessageId messageId, Instant sentAt, String body,
        UserId senderId, Priority priority, List<AttachmentRef> attachments) {

    /**
     * The stored body of a message whose content retention purged: empty. A sealed body is never
     * empty, so this cannot be mistaken for one; reads return the message with an empty body.
     */
    public static final String PURGED = "";

    /**
     * Tells whether retention purged this body.
     *
     * @return true if the body is {@link #PURGED}
     */
    public boolean purged() {
        return body.equals(PURGED);
    }

    /** Checks the fields. */
    public StoredBody {
        requireNonNull(conversationId, "conversationId");
        requireNonNull(messageId, "messageId");
        requireNonNull(sentAt, "sentAt");
        requireNonNull(body, "body");
        requireNonNull(senderId, "senderId");
        requireNonNull(priority, "priority");
        attachments = List.copyOf(attachments);
    }

    /**
     * The stored row of a message.
     *
     * @param stored the message as stored
     * @return its stored body and references
     */
    public static StoredBody of(Message stored) {
        return new StoredBody(stored.conversationId(), stored.seq(), stored.id(), stored.sentAt(), stored.body(),
                stored.senderId(), stored.priority(), stored.attachments());
    }

    /**
     * A position in the order of {@link MessageBodyStore#scan}, to resume a scan after the body
     * at {@code seq} of {@code conversationId} (a job's saved cursor): its other fields are
     * placeholders, since a scan reads only the conversation id and {@code seq} of its
     * {@code after} argument.
     *
     * @param conversationId the conversation of the last body scanned
     * @param seq its sequence number
     * @return the position, to pass as {@code after}; not a stored body
     */
    public static StoredBody position(ConversationId conversationId, long seq) {
        return new StoredBody(conversationId, seq, MessageId.of("scan-position"), Instant.EPOCH, PURGED,
                UserId.of("scan-position"), Priority.NORMAL, List.of());
    }

    /**
     * The message this row holds, with an empty client message id (the seal does not bind it).
     *
     * @return the stored message
     */
    public Message message() {
        return new Message(messageId, conversationId, seq, senderId, body, priority, sentAt, "", attachments);
    }

    @Override
    public String toString() {
        return "StoredBody[conversationId=" + conversationId + ", seq=" + seq + ", messageId=" + messageId + "]";
    }
}
