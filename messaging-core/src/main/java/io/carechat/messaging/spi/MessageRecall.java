package io.carechat.messaging.spi;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.MessageId;
import io.carechat.messaging.model.UserId;
import java.time.Instant;

/**
 * A sender's recall of one of their messages, as {@link MessageStore#recall} keeps it next to the
 * original: which message, who recalled it, when, and why (sealed by the core before it reaches
 * the store, like every other free text). Immutable and thread-safe; {@link #toString()} leaves out
 * the reason.
 *
 * @param conversationId the conversation
 * @param seq the message's place in it
 * @param messageId the message, so that a recall can never land on another message at that place
 * @param recalledBy who recalled it (its sender)
 * @param recalledAt when
 * @param sealedReason the reason the sender gave, sealed
 */
public record MessageRecall(ConversationId conversationId, long seq, MessageId messageId, UserId recalledBy,
        Instant recalledAt, String sealedReason) {

    /** Checks the fields. */
    public MessageRecall {
        requireNonNull(conversationId, "conversationId");
        requireNonNull(messageId, "messageId");
        requireNonNull(recalledBy, "recalledBy");
        requireNonNull(recalledAt, "recalledAt");
        requireNonNull(sealedReason, "sealedReason");
        if (seq < 1) {
            throw new IllegalArgumentException("seq starts at 1");
        }
    }

    @Override
    public String toString() {
        return "MessageRecall[conversationId=" + conversationId + ", seq=" + seq + ", messageId=" + messageId
                + ", recalledBy=" + recalledBy + ", recalledAt=" + recalledAt + "]";
    }
}
