package io.carechat.messaging.spi;

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
 * A validated message for {@link MessageStore#append(NewMessage)}, before it has a {@code seq}.
 * The store places it, then writes what {@link #sealer()} makes of it. {@link #toString()} leaves
 * out the body.
 *
 * @param id the id to store it under (ignored when the append finds a duplicate)
 * @param conversationId the conversation
 * @param senderId the sender, a member
 * @param clientMsgId the sender's idempotency key
 * @param body the text
 * @param priority normal or urgent
 * @param attachments resolved attachment references
 * @param sentAt the time to record
 * @param sealer what the store applies to the placed message before writing it
 * @param escalateAt when a patient's urgent message escalates to the on-call doctors unless a
 *     doctor member read it before; null for every other message. A store that accepts the
 *     message as new writes the {@link EscalationStore escalation} in the same transaction.
 */
public record NewMessage(
        MessageId id,
        ConversationId conversationId,
        UserId senderId,
        String clientMsgId,
        String body,
        Priority priority,
        List<AttachmentRef> attachments,
        Instant sentAt,
        MessageSealer sealer,
        @Nullable Instant escalateAt) {

    /** Checks the fields and copies the list. */
    public NewMessage {
        requireNonNull(id, "id");
        requireNonNull(conversationId, "conversationId");
        requireNonNull(senderId, "senderId");
        requireNonNull(clientMsgId, "clientMsgId");
        requireNonNull(body, "body");
        requireNonNull(priority, "priority");
        requireNonNull(sentAt, "sentAt");
        requireNonNull(sealer, "sealer");
        attachments = List.copyOf(attachments);
    }

    /**
     * A message that does not escalate.
     *
     * @param id the id to store it under
     * @param conversationId the conversation
     * @param senderId the sender
     * @param clientMsgId the sender's idempotency key
     * @param body the text
     * @param priority normal or urgent
     * @param attachments resolved attachment references
     * @param sentAt the time to record
     * @param sealer what the store applies to the placed message before writing it
     */
    public NewMessage(MessageId id, ConversationId conversationId, UserId senderId, String clientMsgId, String body,
            Priority priority, List<AttachmentRef> attachments, Instant sentAt, MessageSealer sealer) {
        this(id, conversationId, senderId, clientMsgId, body, priority, attachments, sentAt, sealer, null);
    }

    /**
     * The same message, escalating at the given time.
     *
     * @param at when it escalates, or null for never
     * @return the new message
     */
    public NewMessage escalatingAt(@Nullable Instant at) {
        return new NewMessage(id, conversationId, senderId, clientMsgId, body, priority, attachments, sentAt, sealer,
                at);
    }

    /**
     * A message stored as given ({@link MessageSealer#AS_GIVEN}): its fields are sealed already.
     *
     * @param id the id to store it under
     * @param conversationId the conversation
     * @param senderId the sender
     * @param clientMsgId the sender's idempotency key
     * @param body the text as it is to be stored
     * @param priority normal or urgent
     * @param attachments resolved attachment references
     * @param sentAt the time to record
     */
    public NewMessage(MessageId id, ConversationId conversationId, UserId senderId, String clientMsgId, String body,
            Priority priority, List<AttachmentRef> attachments, Instant sentAt) {
        this(id, conversationId, senderId, clientMsgId, body, priority, attachments, sentAt, MessageSealer.AS_GIVEN);
    }

    /**
     * Places the message in its conversation and applies the sealer: what a store writes.
     *
     * @param seq the {@code seq} the store assigned
     * @param storedSentAt the sent time as the store keeps it (its precision)
     * @return the message to write and return
     */
    public Message place(long seq, Instant storedSentAt) {
        return sealer.seal(new Message(id, conversationId, seq, senderId, body, priority, storedSentAt, clientMsgId,
                attachments));
    }

    @Override
    public String toString() {
        return "NewMessage[id=" + id + ", conversationId=" + conversationId + ", senderId="
                + senderId + "]";
    }
}
