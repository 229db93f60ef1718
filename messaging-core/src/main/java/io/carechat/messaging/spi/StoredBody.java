package io.carechat.messaging.spi;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.MessageId;
import java.time.Instant;

/**
 * A message's stored (sealed) body and where it is, as {@link MessageBodyStore} scans them.
 * Immutable and thread-safe; {@link #toString()} leaves out the body.
 *
 * @param conversationId the conversation
 * @param seq the message's place in it
 * @param messageId the message
 * @param sentAt when it was sent
 * @param body the body exactly as stored
 */
public record StoredBody(ConversationId conversationId, long seq, MessageId messageId, Instant sentAt, String body) {

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
    }

    @Override
    public String toString() {
        return "StoredBody[conversationId=" + conversationId + ", seq=" + seq + ", messageId=" + messageId + "]";
    }
}
