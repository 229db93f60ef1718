package io.carechat.messaging.event;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.MessageId;
import io.carechat.messaging.model.UserId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A message was committed. Every member, the sender included (for their other devices), gets it.
 *
 * <p>On an {@link io.carechat.messaging.spi.EventBus} the event names the message by its ids only
 * ({@link #of}): buses never carry a body and hold no keys. The {@code Messaging} facade hands it
 * to its own subscribers (the hub, an embedder's listener) with the message opened
 * ({@link #opened}): the one it just sent on this node, or else read from the store and decrypted
 * there, where a body that fails its integrity check is audited and not handed on.
 *
 * <p>Immutable and thread-safe. {@link #toString()} names ids only.
 */
public final class MessageCommitted implements MessagingEvent {
    private final MessageId messageId;
    private final ConversationId conversationId;
    private final long seq;
    private final List<UserId> memberIds;
    private final @Nullable Message message;

    private MessageCommitted(MessageId messageId, ConversationId conversationId, long seq, List<UserId> memberIds,
            @Nullable Message message) {
        this.messageId = requireNonNull(messageId, "messageId");
        this.conversationId = requireNonNull(conversationId, "conversationId");
        if (seq < 1) {
            throw new IllegalArgumentException("seq starts at 1");
        }
        this.seq = seq;
        this.memberIds = List.copyOf(memberIds);
        this.message = message;
    }

    /**
     * The event as buses carry it: the message's ids and the conversation's members.
     *
     * @param messageId the message
     * @param conversationId its conversation
     * @param seq its place in the conversation
     * @param memberIds the conversation's members
     * @return the event, without the message
     */
    public static MessageCommitted of(MessageId messageId, ConversationId conversationId, long seq,
            List<UserId> memberIds) {
        return new MessageCommitted(messageId, conversationId, seq, memberIds, null);
    }

    /**
     * The event as the facade hands it to its subscribers: with the message, body opened.
     *
     * @param message the message, as its members read it
     * @param memberIds the conversation's members
     * @return the event, with the message
     */
    public static MessageCommitted opened(Message message, List<UserId> memberIds) {
        requireNonNull(message, "message");
        return new MessageCommitted(message.id(), message.conversationId(), message.seq(), memberIds, message);
    }

    /**
     * The message's id.
     *
     * @return the id
     */
    public MessageId messageId() {
        return messageId;
    }

    /**
     * The message's conversation.
     *
     * @return the conversation's id
     */
    public ConversationId conversationId() {
        return conversationId;
    }

    /**
     * The message's place in its conversation.
     *
     * @return the {@code seq}, from 1
     */
    public long seq() {
        return seq;
    }

    /**
     * The conversation's members.
     *
     * @return the members, unmodifiable
     */
    public List<UserId> memberIds() {
        return memberIds;
    }

    /**
     * The message with its body opened: present on every event the facade hands its subscribers,
     * absent on the bus.
     *
     * @return the message, or empty when the event carries ids only
     */
    public Optional<Message> message() {
        return Optional.ofNullable(message);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.visitMessageCommitted(this);
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof MessageCommitted that
                && messageId.equals(that.messageId)
                && conversationId.equals(that.conversationId)
                && seq == that.seq
                && memberIds.equals(that.memberIds)
                && Objects.equals(message, that.message);
    }

    @Override
    public int hashCode() {
        return Objects.hash(messageId, conversationId, seq, memberIds, message);
    }

    /** Names the message by its ids, never its body. */
    @Override
    public String toString() {
        return "MessageCommitted[messageId=" + messageId + ", conversationId=" + conversationId + ", seq=" + seq
                + ", memberIds=" + memberIds + ", opened=" + (message != null) + "]";
    }
}
