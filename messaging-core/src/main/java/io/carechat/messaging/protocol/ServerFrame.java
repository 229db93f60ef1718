package io.carechat.messaging.protocol;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.ConversationMember;
import io.carechat.messaging.error.ErrorCode;
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
 */
public sealed interface ServerFrame {

    /**
     * The frame's {@code type} on the wire.
     *
     * @return the type, such as {@code sent}
     */
    String type();

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
    }
}
