package io.carechat.messaging.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

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
        List<AttachmentRef> attachments) {

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

    /** Names the message without its body. */
    @Override
    public String toString() {
        return "Message[id=" + id + ", conversationId=" + conversationId + ", seq=" + seq
                + ", senderId=" + senderId + ", priority=" + priority + "]";
    }
}
