package io.carechat.messaging.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A stored message. Immutable and thread-safe. {@link #toString()} leaves out the body, so a
 * message can never leak its content into a log line by accident.
 *
 * @param id the message's id
 * @param conversationId the conversation it belongs to
 * @param seq its place in the conversation: starts at 1, gapless, in commit order
 * @param senderId who sent it
 * @param body the text, possibly empty when attachments carry the content
 * @param priority normal or urgent
 * @param sentAt when the store committed it
 * @param clientMsgId the sender's idempotency key, unique per sender
 * @param attachments the attachments it carries
 * @param recalledAt when its sender recalled it, or null when it was not recalled; a recalled
 *     message read from a store is a tombstone: empty body, no attachments (see {@link #tombstone})
 */
public record Message(
        MessageId id,
        ConversationId conversationId,
        long seq,
        UserId senderId,
        String body,
        Priority priority,
        Instant sentAt,
        String clientMsgId,
        List<AttachmentRef> attachments,
        @Nullable Instant recalledAt) {

    /**
     * A message that was not recalled.
     *
     * @param id the message's id
     * @param conversationId the conversation it belongs to
     * @param seq its place in the conversation
     * @param senderId who sent it
     * @param body the text
     * @param priority normal or urgent
     * @param sentAt when the store committed it
     * @param clientMsgId the sender's idempotency key
     * @param attachments the attachments it carries
     */
    public Message(MessageId id, ConversationId conversationId, long seq, UserId senderId, String body,
            Priority priority, Instant sentAt, String clientMsgId, List<AttachmentRef> attachments) {
        this(id, conversationId, seq, senderId, body, priority, sentAt, clientMsgId, attachments, null);
    }

    /** Checks the fields and copies the attachment list. */
    public Message {
        requireNonNull(id, "id");
        requireNonNull(conversationId, "conversationId");
        requireNonNull(senderId, "senderId");
        requireNonNull(body, "body");
        requireNonNull(priority, "priority");
        requireNonNull(sentAt, "sentAt");
        requireNonNull(clientMsgId, "clientMsgId");
        if (seq < 1) {
            throw new IllegalArgumentException("seq starts at 1");
        }
        attachments = List.copyOf(attachments);
    }

    /**
     * Tells whether the sender recalled this message.
     *
     * @return true if {@link #recalledAt()} is set
     */
    public boolean recalled() {
        return recalledAt != null;
    }

    /**
     * What readers get of this message once it is recalled: the same id, place, sender, priority
     * and times, with an empty body and no attachments. The original stays in storage.
     *
     * @param at when it was recalled
     * @return the tombstone
     */
    public Message tombstone(Instant at) {
        requireNonNull(at, "at");
        return new Message(id, conversationId, seq, senderId, "", priority, sentAt, clientMsgId, List.of(), at);
    }

    /** Names the message without its body. */
    @Override
    public String toString() {
        return "Message[id=" + id + ", conversationId=" + conversationId + ", seq=" + seq
                + ", senderId=" + senderId + ", priority=" + priority + (recalled() ? ", recalled" : "") + "]";
    }
}
