package io.carechat.messaging.model;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What a member asks to send. The facade validates it against the configured limits. Immutable
 * and thread-safe; {@link #toString()} leaves out the body.
 *
 * @param conversationId the conversation to send into
 * @param clientMsgId the sender's idempotency key: 1 to 64 characters, unique per sender
 * @param body the text
 * @param priority normal or urgent
 * @param attachments ids of attachments the sender uploaded
 */
public record SendRequest(
        ConversationId conversationId,
        String clientMsgId,
        String body,
        Priority priority,
        List<AttachmentId> attachments) {

    /** Checks the fields and copies the attachment list. */
    public SendRequest {
        requireNonNull(conversationId, "conversationId");
        requireNonNull(clientMsgId, "clientMsgId");
        requireNonNull(body, "body");
        requireNonNull(priority, "priority");
        attachments = List.copyOf(attachments);
    }

    /**
     * A normal-priority text message without attachments.
     *
     * @param conversationId the conversation
     * @param clientMsgId the idempotency key
     * @param body the text
     * @return the request
     */
    public static SendRequest text(ConversationId conversationId, String clientMsgId, String body) {
        return new SendRequest(conversationId, clientMsgId, body, Priority.NORMAL, List.of());
    }

    /**
     * A copy with another priority.
     *
     * @param newPriority the priority
     * @return the changed copy
     */
    public SendRequest withPriority(Priority newPriority) {
        return new SendRequest(conversationId, clientMsgId, body, newPriority, attachments);
    }

    /**
     * A copy with attachments.
     *
     * @param ids the attachment ids
     * @return the changed copy
     */
    public SendRequest withAttachments(List<AttachmentId> ids) {
        return new SendRequest(conversationId, clientMsgId, body, priority, ids);
    }

    /** Leaves out the body. */
    @Override
    public String toString() {
        return "SendRequest[conversationId=" + conversationId + ", priority=" + priority
                + ", attachments=" + attachments.size() + "]";
    }
}
