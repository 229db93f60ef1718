package io.carechat.messaging.protocol;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.error.ErrorCode;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.ConversationMember;
import io.carechat.messaging.model.ReceiptKind;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.RoleRequest;
import io.carechat.messaging.model.RoleRequestId;
import io.carechat.messaging.model.UserId;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A frame the server sends, one record per {@code type} of the contract. Replies to a request
 * carry the request's {@code ref}; pushes ({@code message}, {@code receipt}, {@code unread},
 * {@code typing}, {@code presence}, {@code notice}) carry none. Records are immutable and
 * thread-safe.
 *
 * <p>The set of frames is closed: code that handles every frame does so through a {@link Visitor},
 * so a frame added here fails to compile until each of them handles it.
 */
public sealed interface ServerFrame
        permits ServerFrame.Ready, ServerFrame.Message, ServerFrame.Sent, ServerFrame.Receipt, ServerFrame.Unread,
                ServerFrame.Conversation, ServerFrame.History, ServerFrame.Conversations, ServerFrame.Contacts,
                ServerFrame.Typing, ServerFrame.Presence, ServerFrame.Notice, ServerFrame.Ok, ServerFrame.Pong,
                ServerFrame.Error, ServerFrame.Members, ServerFrame.Recalled, ServerFrame.BreakGlassNotice,
                ServerFrame.EscalationNotice {

    /**
     * The {@code ref} of the request this frame answers.
     *
     * @return the ref, or null for a push, or when the request carried none
     */
    @Nullable String ref();

    /**
     * The frame's {@code type} on the wire.
     *
     * @return the type, such as {@code sent}
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
     * Handles each server frame type in its own method, so that a handler covers every type the
     * compiler knows of. Implementations decide their own thread-safety and lifecycle.
     *
     * @param <R> what each method returns
     */
    interface Visitor<R extends @Nullable Object> {

        /**
         * Handles a {@code ready} frame.
         *
         * @param frame the frame
         * @return the result
         */
        R visitReady(Ready frame);

        /**
         * Handles a {@code message} frame.
         *
         * @param frame the frame
         * @return the result
         */
        R visitMessage(Message frame);

        /**
         * Handles a {@code sent} frame.
         *
         * @param frame the frame
         * @return the result
         */
        R visitSent(Sent frame);

        /**
         * Handles a {@code receipt} frame.
         *
         * @param frame the frame
         * @return the result
         */
        R visitReceipt(Receipt frame);

        /**
         * Handles a {@code unread} frame.
         *
         * @param frame the frame
         * @return the result
         */
        R visitUnread(Unread frame);

        /**
         * Handles a {@code conversation} frame.
         *
         * @param frame the frame
         * @return the result
         */
        R visitConversation(Conversation frame);

        /**
         * Handles a {@code history} frame.
         *
         * @param frame the frame
         * @return the result
         */
        R visitHistory(History frame);

        /**
         * Handles a {@code members} frame.
         *
         * @param frame the frame
         * @return the result
         */
        R visitMembers(Members frame);

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
         * Handles a {@code notice} frame.
         *
         * @param frame the frame
         * @return the result
         */
        R visitNotice(Notice frame);

        /**
         * Handles a {@code ok} frame.
         *
         * @param frame the frame
         * @return the result
         */
        R visitOk(Ok frame);

        /**
         * Handles a {@code pong} frame.
         *
         * @param frame the frame
         * @return the result
         */
        R visitPong(Pong frame);

        /**
         * Handles a {@code error} frame.
         *
         * @param frame the frame
         * @return the result
         */
        R visitError(Error frame);

        /**
         * Handles a {@code recalled} frame.
         *
         * @param frame the frame
         * @return the result
         */
        R visitRecalled(Recalled frame);

        /**
         * Handles a {@code notice} frame of kind {@code break_glass}.
         *
         * @param frame the frame
         * @return the result
         */
        R visitBreakGlassNotice(BreakGlassNotice frame);

        /**
         * Handles a {@code notice} frame of kind {@code escalation}.
         *
         * @param frame the frame
         * @return the result
         */
        R visitEscalationNotice(EscalationNotice frame);
    }

    /**
     * {@code ready}: the session is authenticated. Sent once, before the backlog.
     *
     * @param ref the {@code auth} frame's ref, null when authenticated by header
     * @param userId the authenticated user
     * @param roles the roles the token carried
     * @param conversations the user's conversations
     * @param unreadTotal the user's unread count over all conversations
     */
    record Ready(
            @Nullable String ref,
            UserId userId,
            Set<Role> roles,
            List<ConversationView> conversations,
            long unreadTotal)
            implements ServerFrame {
        /** Checks the fields and copies the collections. */
        public Ready {
            requireNonNull(userId, "userId");
            roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
            conversations = List.copyOf(conversations);
        }

        @Override
        public String type() {
            return "ready";
        }

        @Override
        public <R extends @Nullable Object> R accept(Visitor<R> visitor) {
            return visitor.visitReady(this);
        }
    }

    /**
     * {@code message}: a committed message pushed to a member (live or from the backlog).
     *
     * @param message the message as this recipient sees it
     */
    record Message(MessageView message) implements ServerFrame {
        /** Checks the field. */
        public Message {
            requireNonNull(message, "message");
        }

        @Override
        public String type() {
            return "message";
        }

        /** A push answers no request. */
        @Override
        public @Nullable String ref() {
            return null;
        }

        @Override
        public <R extends @Nullable Object> R accept(Visitor<R> visitor) {
            return visitor.visitMessage(this);
        }
    }

    /**
     * {@code sent}: the reply to {@code send}, after the message is committed.
     *
     * @param ref the request's ref
     * @param message the stored message, with the sender's {@code clientMsgId}
     */
    record Sent(@Nullable String ref, MessageView message) implements ServerFrame {
        /** Checks the field. */
        public Sent {
            requireNonNull(message, "message");
        }

        @Override
        public String type() {
            return "sent";
        }

        @Override
        public <R extends @Nullable Object> R accept(Visitor<R> visitor) {
            return visitor.visitSent(this);
        }
    }

    /**
     * {@code receipt}: another member's delivered or read position rose.
     *
     * @param conversationId the conversation
     * @param userId the member
     * @param kind delivered or read
     * @param seq the new position
     */
    record Receipt(ConversationId conversationId, UserId userId, ReceiptKind kind, long seq)
            implements ServerFrame {
        /** Checks the fields. */
        public Receipt {
            requireNonNull(conversationId, "conversationId");
            requireNonNull(userId, "userId");
            requireNonNull(kind, "kind");
        }

        /**
         * The frame for a receipt.
         *
         * @param receipt the receipt
         * @return the frame
         */
        public static Receipt of(io.carechat.messaging.model.Receipt receipt) {
            return new Receipt(receipt.conversationId(), receipt.userId(), receipt.kind(), receipt.seq());
        }

        @Override
        public String type() {
            return "receipt";
        }

        /** A push answers no request. */
        @Override
        public @Nullable String ref() {
            return null;
        }

        @Override
        public <R extends @Nullable Object> R accept(Visitor<R> visitor) {
            return visitor.visitReceipt(this);
        }
    }

    /**
     * {@code unread}: the user's unread counts after they read in a conversation.
     *
     * @param conversationId the conversation read in
     * @param count its unread count now
     * @param total the unread count over all conversations
     */
    record Unread(ConversationId conversationId, long count, long total) implements ServerFrame {
        /** Checks the fields. */
        public Unread {
            requireNonNull(conversationId, "conversationId");
        }

        @Override
        public String type() {
            return "unread";
        }

        /** A push answers no request. */
        @Override
        public @Nullable String ref() {
            return null;
        }

        @Override
        public <R extends @Nullable Object> R accept(Visitor<R> visitor) {
            return visitor.visitUnread(this);
        }
    }

    /**
     * {@code conversation}: the reply to {@code open}.
     *
     * @param ref the request's ref
     * @param conversation the direct conversation
     * @param members its members with their display names, roles and delivered and read positions
     */
    record Conversation(@Nullable String ref, io.carechat.messaging.model.Conversation conversation,
            List<ConversationMember> members) implements ServerFrame {
        /** Checks the fields and copies the list. */
        public Conversation {
            requireNonNull(conversation, "conversation");
            members = List.copyOf(members);
        }

        @Override
        public String type() {
            return "conversation";
        }

        @Override
        public <R extends @Nullable Object> R accept(Visitor<R> visitor) {
            return visitor.visitConversation(this);
        }
    }

    /**
     * {@code history}: the reply to {@code history}.
     *
     * @param ref the request's ref
     * @param conversationId the conversation
     * @param messages the page, ascending by {@code seq}
     * @param hasMore true when older messages exist
     */
    record History(
            @Nullable String ref, ConversationId conversationId, List<MessageView> messages, boolean hasMore)
            implements ServerFrame {
        /** Checks the fields and copies the list. */
        public History {
            requireNonNull(conversationId, "conversationId");
            messages = List.copyOf(messages);
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
     * {@code conversations}: the reply to {@code conversations}.
     *
     * @param ref the request's ref
     * @param conversations the caller's conversations, newest activity first
     */
    record Conversations(@Nullable String ref, List<ConversationView> conversations) implements ServerFrame {
        /** Copies the list. */
        public Conversations {
            conversations = List.copyOf(conversations);
        }

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
     * {@code contacts}: the reply to {@code contacts}.
     *
     * @param ref the request's ref
     * @param contacts the users the caller may message
     */
    record Contacts(@Nullable String ref, List<ContactView> contacts) implements ServerFrame {
        /** Copies the list. */
        public Contacts {
            contacts = List.copyOf(contacts);
        }

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
     * {@code typing}: another member is typing.
     *
     * @param conversationId the conversation
     * @param userId who types
     */
    record Typing(ConversationId conversationId, UserId userId) implements ServerFrame {
        /** Checks the fields. */
        public Typing {
            requireNonNull(conversationId, "conversationId");
            requireNonNull(userId, "userId");
        }

        @Override
        public String type() {
            return "typing";
        }

        /** A push answers no request. */
        @Override
        public @Nullable String ref() {
            return null;
        }

        @Override
        public <R extends @Nullable Object> R accept(Visitor<R> visitor) {
            return visitor.visitTyping(this);
        }
    }

    /**
     * {@code presence}: a user the recipient may see changed availability.
     *
     * @param userId the user
     * @param status the new availability, offline included
     */
    record Presence(UserId userId, io.carechat.messaging.model.Presence status) implements ServerFrame {
        /** Checks the fields. */
        public Presence {
            requireNonNull(userId, "userId");
            requireNonNull(status, "status");
        }

        @Override
        public String type() {
            return "presence";
        }

        /** A push answers no request. */
        @Override
        public @Nullable String ref() {
            return null;
        }

        @Override
        public <R extends @Nullable Object> R accept(Visitor<R> visitor) {
            return visitor.visitPresence(this);
        }
    }

    /**
     * {@code notice}: for admins, a new role request. Carries no note (personal data, read it
     * through the admin API).
     *
     * @param requestId the request
     * @param userId who asks
     * @param role the role asked for
     * @param createdAt when it was asked
     */
    record Notice(RoleRequestId requestId, UserId userId, Role role, Instant createdAt) implements ServerFrame {
        /** Checks the fields. */
        public Notice {
            requireNonNull(requestId, "requestId");
            requireNonNull(userId, "userId");
            requireNonNull(role, "role");
            requireNonNull(createdAt, "createdAt");
        }

        /**
         * The notice for a role request.
         *
         * @param request the request
         * @return the frame
         */
        public static Notice of(RoleRequest request) {
            return new Notice(request.id(), request.userId(), request.role(), request.createdAt());
        }

        @Override
        public String type() {
            return "notice";
        }

        /** A push answers no request. */
        @Override
        public @Nullable String ref() {
            return null;
        }

        @Override
        public <R extends @Nullable Object> R accept(Visitor<R> visitor) {
            return visitor.visitNotice(this);
        }
    }

    /**
     * {@code members}: a group's members changed (one was added or removed). Every member's
     * sockets get it, and the removed member's, whose id is then missing from {@code members}.
     *
     * @param conversationId the group
     * @param members its members now, with names, roles, positions and {@code joinedSeq}
     */
    record Members(ConversationId conversationId, List<ConversationMember> members) implements ServerFrame {
        /** Checks the fields and copies the list. */
        public Members {
            requireNonNull(conversationId, "conversationId");
            members = List.copyOf(members);
        }

        @Override
        public String type() {
            return "members";
        }

        /** A push answers no request. */
        @Override
        public @Nullable String ref() {
            return null;
        }

        @Override
        public <R extends @Nullable Object> R accept(Visitor<R> visitor) {
            return visitor.visitMembers(this);
        }
    }

    /**
     * {@code ok}: the reply to a re-authentication that extended the session.
     *
     * @param ref the request's ref
     */
    record Ok(@Nullable String ref) implements ServerFrame {
        @Override
        public String type() {
            return "ok";
        }

        @Override
        public <R extends @Nullable Object> R accept(Visitor<R> visitor) {
            return visitor.visitOk(this);
        }
    }

    /**
     * {@code pong}: the reply to {@code ping}.
     *
     * @param ref the request's ref
     */
    record Pong(@Nullable String ref) implements ServerFrame {
        @Override
        public String type() {
            return "pong";
        }

        @Override
        public <R extends @Nullable Object> R accept(Visitor<R> visitor) {
            return visitor.visitPong(this);
        }
    }

    /**
     * {@code error}: a request failed; the session stays open unless a close follows.
     *
     * @param ref the failed request's ref, null when it had none or it could not be read
     * @param code the wire code
     * @param message what was wrong, safe to show
     */
    record Error(@Nullable String ref, ErrorCode code, String message) implements ServerFrame {
        /** Checks the fields. */
        public Error {
            requireNonNull(code, "code");
            requireNonNull(message, "message");
        }

        @Override
        public String type() {
            return "error";
        }

        @Override
        public <R extends @Nullable Object> R accept(Visitor<R> visitor) {
            return visitor.visitError(this);
        }
    }

    /**
     * {@code recalled}: a member recalled a message; clients show it as recalled in place.
     *
     * @param conversationId the conversation
     * @param seq the message's place
     * @param recalledAt when it was recalled
     */
    record Recalled(ConversationId conversationId, long seq, Instant recalledAt) implements ServerFrame {
        /** Checks the fields. */
        public Recalled {
            requireNonNull(conversationId, "conversationId");
            requireNonNull(recalledAt, "recalledAt");
        }

        @Override
        public String type() {
            return "recalled";
        }

        /** A push answers no request. */
        @Override
        public @Nullable String ref() {
            return null;
        }

        @Override
        public <R extends @Nullable Object> R accept(Visitor<R> visitor) {
            return visitor.visitRecalled(this);
        }
    }

    /**
     * {@code notice} of kind {@code break_glass}: for admins, a doctor broke the glass on a
     * conversation they are not a member of. Carries ids and times, never the reason (read it
     * through the audit trail's grant).
     *
     * @param grantId the grant
     * @param conversationId the conversation
     * @param userId the doctor
     * @param grantedAt when access began
     * @param expiresAt when it ends
     */
    record BreakGlassNotice(String grantId, ConversationId conversationId, UserId userId, Instant grantedAt,
            Instant expiresAt) implements ServerFrame {
        /** Checks the fields. */
        public BreakGlassNotice {
            requireNonNull(grantId, "grantId");
            requireNonNull(conversationId, "conversationId");
            requireNonNull(userId, "userId");
            requireNonNull(grantedAt, "grantedAt");
            requireNonNull(expiresAt, "expiresAt");
        }

        @Override
        public String type() {
            return "notice";
        }

        /** A push answers no request. */
        @Override
        public @Nullable String ref() {
            return null;
        }

        @Override
        public <R extends @Nullable Object> R accept(Visitor<R> visitor) {
            return visitor.visitBreakGlassNotice(this);
        }
    }

    /**
     * {@code notice} of kind {@code escalation}: for an on-call doctor, a patient's urgent message
     * that no doctor member read in time; the doctor is a member of the conversation from that
     * message on. Carries ids only, never content or names.
     *
     * @param conversationId the conversation
     * @param seq the urgent message
     */
    record EscalationNotice(ConversationId conversationId, long seq) implements ServerFrame {
        /** Checks the fields. */
        public EscalationNotice {
            requireNonNull(conversationId, "conversationId");
            if (seq < 1) {
                throw new IllegalArgumentException("seq starts at 1");
            }
        }

        @Override
        public String type() {
            return "notice";
        }

        /** A push answers no request. */
        @Override
        public @Nullable String ref() {
            return null;
        }

        @Override
        public <R extends @Nullable Object> R accept(Visitor<R> visitor) {
            return visitor.visitEscalationNotice(this);
        }
    }
}
