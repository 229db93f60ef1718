package io.carechat.messaging.protocol;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.AttachmentId;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.model.UserId;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A frame a client sends, one record per {@code type} of the contract. Every frame may carry a
 * {@code ref} that the server echoes in its reply or in the {@code error} for it. Records are
 * immutable and thread-safe; the codec produces them only with values inside its
 * {@link ProtocolLimits}.
 *
 * <p>The set of frames is closed: code that handles every frame does so through a {@link Visitor},
 * so a frame added here fails to compile until each of them handles it.
 */
public sealed interface ClientFrame
        permits ClientFrame.Auth, ClientFrame.Open, ClientFrame.Send, ClientFrame.Delivered, ClientFrame.Read,
                ClientFrame.History, ClientFrame.Conversations, ClientFrame.Contacts, ClientFrame.Typing,
                ClientFrame.Presence, ClientFrame.Ping, ClientFrame.Recall {

    /**
     * The client's reference for this request, echoed in the reply.
     *
     * @return the ref, or null when the client sent none
     */
    @Nullable String ref();

    /**
     * The frame's {@code type} on the wire.
     *
     * @return the type, such as {@code send}
     */
    String type();

    /**
     * Calls the visitor's method for this frame's type.
     *
     * @param visitor the visitor
     * @param <R> what the visitor returns
     * @return what the visitor returned
     */
    <R extends @Nullable Object> R accept(Visitor<R> visitor);

    /**
     * Handles each client frame type in its own method, so that a handler covers every type the
     * compiler knows of. Implementations decide their own thread-safety and lifecycle.
     *
     * @param <R> what each method returns
     */
    interface Visitor<R extends @Nullable Object> {

        /**
         * Handles a {@code auth} frame.
         *
         * @param frame the frame
         * @return the result
         */
        R visitAuth(Auth frame);

        /**
         * Handles a {@code open} frame.
         *
         * @param frame the frame
         * @return the result
         */
        R visitOpen(Open frame);

        /**
         * Handles a {@code send} frame.
         *
         * @param frame the frame
         * @return the result
         */
        R visitSend(Send frame);

        /**
         * Handles a {@code delivered} frame.
         *
         * @param frame the frame
         * @return the result
         */
        R visitDelivered(Delivered frame);

        /**
         * Handles a {@code read} frame.
         *
         * @param frame the frame
         * @return the result
         */
        R visitRead(Read frame);

        /**
         * Handles a {@code history} frame.
         *
         * @param frame the frame
         * @return the result
         */
        R visitHistory(History frame);

        /**
         * Handles a {@code conversations} frame.
         *
         * @param frame the frame
         * @return the result
         */
        R visitConversations(Conversations frame);

        /**
         * Handles a {@code contacts} frame.
         *
         * @param frame the frame
         * @return the result
         */
        R visitContacts(Contacts frame);

        /**
         * Handles a {@code typing} frame.
         *
         * @param frame the frame
         * @return the result
         */
        R visitTyping(Typing frame);

        /**
         * Handles a {@code presence} frame.
         *
         * @param frame the frame
         * @return the result
         */
        R visitPresence(Presence frame);

        /**
         * Handles a {@code ping} frame.
         *
         * @param frame the frame
         * @return the result
         */
        R visitPing(Ping frame);

        /**
         * Handles a {@code recall} frame.
         *
         * @param frame the frame
         * @return the result
         */
        R visitRecall(Recall frame);
    }

    /**
     * {@code auth}: authenticates a socket, or extends an authenticated session with a fresh token
     * for the same user. {@link #toString()} leaves out the token.
     *
     * @param ref the client's reference
     * @param token the access token
     */
    record Auth(@Nullable String ref, String token) implements ClientFrame {
        /** Checks the fields. */
        public Auth {
            requireNonNull(token, "token");
        }

        @Override
        public String type() {
            return "auth";
        }

        @Override
        public <R extends @Nullable Object> R accept(Visitor<R> visitor) {
            return visitor.visitAuth(this);
        }

        /** Names the frame without its token. */
        @Override
        public String toString() {
            return "Auth[ref=" + ref + "]";
        }
    }

    /**
     * {@code open}: creates or returns the direct conversation with another user ({@code with}), or
     * creates a group conversation, a care team ({@code title} and {@code members} instead of
     * {@code with}). Exactly one of the two forms.
     *
     * @param ref the client's reference
     * @param with the other user of a direct conversation, null for a group
     * @param title the group's title, null for a direct conversation
     * @param members the group's other members, empty for a direct conversation
     */
    record Open(@Nullable String ref, @Nullable UserId with, @Nullable String title, List<UserId> members)
            implements ClientFrame {
        /** Checks that the frame has exactly one form, and copies the list. */
        public Open {
            members = List.copyOf(members);
            if ((with == null) == (title == null)) {
                throw new IllegalArgumentException("open takes either 'with' or 'title' and 'members'");
            }
            if (with != null && !members.isEmpty()) {
                throw new IllegalArgumentException("a direct conversation takes no 'members'");
            }
        }

        /**
         * The {@code open} of a direct conversation.
         *
         * @param ref the client's reference
         * @param with the other user
         */
        public Open(@Nullable String ref, UserId with) {
            this(ref, requireNonNull(with, "with"), null, List.of());
        }

        /**
         * The {@code open} that creates a group.
         *
         * @param ref the client's reference
         * @param title the group's title
         * @param members the other members
         * @return the frame
         */
        public static Open group(@Nullable String ref, String title, List<UserId> members) {
            return new Open(ref, null, requireNonNull(title, "title"), members);
        }

        /**
         * Tells whether this frame creates a group.
         *
         * @return true for the form with {@code title} and {@code members}
         */
        public boolean createsGroup() {
            return title != null;
        }

        @Override
        public String type() {
            return "open";
        }

        @Override
        public <R extends @Nullable Object> R accept(Visitor<R> visitor) {
            return visitor.visitOpen(this);
        }
    }

    /**
     * {@code send}: sends a message. {@link #toString()} leaves out the body.
     *
     * @param ref the client's reference
     * @param conversationId the conversation
     * @param clientMsgId the sender's idempotency key
     * @param body the text
     * @param priority normal unless the client said urgent
     * @param attachments the attachment ids, possibly none
     */
    record Send(
            @Nullable String ref,
            ConversationId conversationId,
            String clientMsgId,
            String body,
            Priority priority,
            List<AttachmentId> attachments)
            implements ClientFrame {
        /** Checks the fields and copies the list. */
        public Send {
            requireNonNull(conversationId, "conversationId");
            requireNonNull(clientMsgId, "clientMsgId");
            requireNonNull(body, "body");
            requireNonNull(priority, "priority");
            attachments = List.copyOf(attachments);
        }

        @Override
        public String type() {
            return "send";
        }

        @Override
        public <R extends @Nullable Object> R accept(Visitor<R> visitor) {
            return visitor.visitSend(this);
        }

        /** Names the frame without its body. */
        @Override
        public String toString() {
            return "Send[ref=" + ref + ", conversationId=" + conversationId + ", priority=" + priority
                    + ", attachments=" + attachments.size() + "]";
        }
    }

    /**
     * {@code delivered}: the client received messages up to {@code seq}.
     *
     * @param ref the client's reference
     * @param conversationId the conversation
     * @param seq the position, never negative
     */
    record Delivered(@Nullable String ref, ConversationId conversationId, long seq) implements ClientFrame {
        /** Checks the fields. */
        public Delivered {
            requireNonNull(conversationId, "conversationId");
            nonNegative(seq, "seq");
        }

        @Override
        public String type() {
            return "delivered";
        }

        @Override
        public <R extends @Nullable Object> R accept(Visitor<R> visitor) {
            return visitor.visitDelivered(this);
        }
    }

    /**
     * {@code read}: the user read messages up to {@code seq}.
     *
     * @param ref the client's reference
     * @param conversationId the conversation
     * @param seq the position, never negative
     */
    record Read(@Nullable String ref, ConversationId conversationId, long seq) implements ClientFrame {
        /** Checks the fields. */
        public Read {
            requireNonNull(conversationId, "conversationId");
            nonNegative(seq, "seq");
        }

        @Override
        public String type() {
            return "read";
        }

        @Override
        public <R extends @Nullable Object> R accept(Visitor<R> visitor) {
            return visitor.visitRead(this);
        }
    }

    /**
     * {@code history}: asks for a page of older messages.
     *
     * @param ref the client's reference
     * @param conversationId the conversation
     * @param beforeSeq only messages before this {@code seq}, or null for the newest
     * @param limit the page size, or null for the server's default
     */
    record History(
            @Nullable String ref, ConversationId conversationId, @Nullable Long beforeSeq, @Nullable Integer limit)
            implements ClientFrame {
        /** Checks the fields. */
        public History {
            requireNonNull(conversationId, "conversationId");
            if (beforeSeq != null) {
                nonNegative(beforeSeq, "beforeSeq");
            }
            if (limit != null && limit < 1) {
                throw new IllegalArgumentException("limit must be positive");
            }
        }

        @Override
        public String type() {
            return "history";
        }

        @Override
        public <R extends @Nullable Object> R accept(Visitor<R> visitor) {
            return visitor.visitHistory(this);
        }
    }

    /**
     * {@code conversations}: asks for the caller's conversations.
     *
     * @param ref the client's reference
     */
    record Conversations(@Nullable String ref) implements ClientFrame {
        @Override
        public String type() {
            return "conversations";
        }

        @Override
        public <R extends @Nullable Object> R accept(Visitor<R> visitor) {
            return visitor.visitConversations(this);
        }
    }

    /**
     * {@code contacts}: asks for the users the caller may message.
     *
     * @param ref the client's reference
     */
    record Contacts(@Nullable String ref) implements ClientFrame {
        @Override
        public String type() {
            return "contacts";
        }

        @Override
        public <R extends @Nullable Object> R accept(Visitor<R> visitor) {
            return visitor.visitContacts(this);
        }
    }

    /**
     * {@code typing}: the user is typing in a conversation.
     *
     * @param ref the client's reference
     * @param conversationId the conversation
     */
    record Typing(@Nullable String ref, ConversationId conversationId) implements ClientFrame {
        /** Checks the fields. */
        public Typing {
            requireNonNull(conversationId, "conversationId");
        }

        @Override
        public String type() {
            return "typing";
        }

        @Override
        public <R extends @Nullable Object> R accept(Visitor<R> visitor) {
            return visitor.visitTyping(this);
        }
    }

    /**
     * {@code presence}: the user sets their availability.
     *
     * @param ref the client's reference
     * @param status available, busy or away; never offline
     */
    record Presence(@Nullable String ref, io.carechat.messaging.model.Presence status) implements ClientFrame {
        /** Checks the fields. */
        public Presence {
            requireNonNull(status, "status");
            if (status == io.carechat.messaging.model.Presence.OFFLINE) {
                throw new IllegalArgumentException("a client cannot set offline");
            }
        }

        @Override
        public String type() {
            return "presence";
        }

        @Override
        public <R extends @Nullable Object> R accept(Visitor<R> visitor) {
            return visitor.visitPresence(this);
        }
    }

    /**
     * {@code ping}: asks for a {@code pong}; does not count as activity for idle logoff.
     *
     * @param ref the client's reference
     */
    record Ping(@Nullable String ref) implements ClientFrame {
        @Override
        public String type() {
            return "ping";
        }

        @Override
        public <R extends @Nullable Object> R accept(Visitor<R> visitor) {
            return visitor.visitPing(this);
        }
    }

    /**
     * {@code recall}: the sender recalls one of their messages, within the recall window. Answered
     * with {@code ok}; every member's sockets get {@code recalled}.
     *
     * @param ref the client's reference
     * @param conversationId the conversation
     * @param seq the message's place
     * @param reason why, free text kept sealed with the recall
     */
    record Recall(@Nullable String ref, ConversationId conversationId, long seq, String reason) implements ClientFrame {
        /** Checks the fields. */
        public Recall {
            requireNonNull(conversationId, "conversationId");
            requireNonNull(reason, "reason");
            if (seq < 1) {
                throw new IllegalArgumentException("seq starts at 1");
            }
        }

        @Override
        public String type() {
            return "recall";
        }

        @Override
        public <R extends @Nullable Object> R accept(Visitor<R> visitor) {
            return visitor.visitRecall(this);
        }

        /** Names the frame without the reason. */
        @Override
        public String toString() {
            return "Recall[ref=" + ref + ", conversationId=" + conversationId + ", seq=" + seq + "]";
        }
    }

    private static void nonNegative(long value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative");
        }
    }
}
