package io.carechat.messaging.protocol;

import io.carechat.messaging.model.AttachmentId;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.Presence;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.model.UserId;
import java.util.List;

/**
 * Client frames from JSON text and back. Decoding is strict and enforces the
 * {@link ProtocolLimits}, as {@link ProtocolCodec} describes; encoding, for clients and tests,
 * writes {@code type} first, then {@code ref}, then the frame's fields, and is a
 * {@link ClientFrame.Visitor}, so a client frame it cannot write does not compile.
 *
 * <p>Immutable and thread-safe: one instance serves every session.
 */
final class ClientFrameCodec {
    private static final ClientFrame.Visitor<FrameJson.Body> BODIES = new Bodies();
    /**
     * The most member ids an {@code open} of a group may list before it is refused unread; the
     * facade then holds the list to its own, configurable limit.
     */
    private static final int MAX_GROUP_MEMBER_IDS = 1_000;

    private final ProtocolLimits limits;
    private final FrameJson json;

    ClientFrameCodec(ProtocolLimits limits, FrameJson json) {
        this.limits = limits;
        this.json = json;
    }

    ClientFrame decode(String text) {
        if (text.length() > limits.maxFrameChars()) {
            throw new FrameException(null, "frame must be at most " + limits.maxFrameChars() + " characters");
        }
        FrameFields fields = json.parseObject(text);
        String type = fields.string("type", 1, 32);
        return switch (type) {
            case "auth" -> new ClientFrame.Auth(fields.ref(), fields.string("token", 1, limits.maxTokenChars()));
            case "open" -> fields.has("with") ? new ClientFrame.Open(fields.ref(), fields.userId("with"))
                    : ClientFrame.Open.group(fields.ref(),
                            fields.string("title", 1, Conversation.MAX_TITLE_CHARS),
                            fields.userIds("members", MAX_GROUP_MEMBER_IDS));
            case "send" -> decodeSend(fields);
            case "delivered" -> new ClientFrame.Delivered(
                    fields.ref(), fields.id("conversationId", ConversationId::of), fields.seq("seq"));
            case "read" -> new ClientFrame.Read(
                    fields.ref(), fields.id("conversationId", ConversationId::of), fields.seq("seq"));
            case "history" -> new ClientFrame.History(fields.ref(), fields.id("conversationId", ConversationId::of),
                    fields.optionalSeq("beforeSeq"), fields.optionalInt("limit", 1, limits.maxHistoryLimit()));
            case "conversations" -> new ClientFrame.Conversations(fields.ref());
            case "contacts" -> new ClientFrame.Contacts(fields.ref());
            case "typing" -> new ClientFrame.Typing(fields.ref(), fields.id("conversationId", ConversationId::of));
            case "presence" -> new ClientFrame.Presence(fields.ref(), settableStatus(fields));
            case "ping" -> new ClientFrame.Ping(fields.ref());
            case "recall" -> decodeRecall(fields);
            default -> throw fields.fail("type is not a known client frame");
        };
    }

    String encode(ClientFrame frame) {
        return json.writeFrame(frame.type(), frame.ref(), frame.accept(BODIES));
    }

    private ClientFrame.Send decodeSend(FrameFields fields) {
        ConversationId conversationId = fields.id("conversationId", ConversationId::of);
        String clientMsgId = fields.string("clientMsgId", 1, limits.maxClientMsgIdChars());
        String body = fields.boundedText("body", limits.maxBodyChars());
        String priorityName = fields.optionalString("priority", 1, 32);
        Priority priority = priorityName == null
                ? Priority.NORMAL
                : fields.enumOf("priority", priorityName, Priority.class, Priority::wireName);
        List<AttachmentId> attachments = fields.optionalIds("attachments", limits.maxAttachments(), AttachmentId::of);
        return new ClientFrame.Send(fields.ref(), conversationId, clientMsgId, body, priority, attachments);
    }

    private ClientFrame.Recall decodeRecall(FrameFields fields) {
        ConversationId conversationId = fields.id("conversationId", ConversationId::of);
        long seq = fields.seq("seq");
        if (seq < 1) {
            throw fields.fail("seq must be at least 1");
        }
        return new ClientFrame.Recall(fields.ref(), conversationId, seq,
                fields.boundedText("reason", limits.maxBodyChars()));
    }

    private static Presence settableStatus(FrameFields fields) {
        Presence status = fields.lowerCaseEnum("status", Presence.class);
        if (status == Presence.OFFLINE) {
            throw fields.fail("status must be available, busy or away");
        }
        return status;
    }

    /** The fields of each client frame after its {@code type} and {@code ref}. Stateless. */
    private static final class Bodies implements ClientFrame.Visitor<FrameJson.Body> {
        @Override
        public FrameJson.Body visitAuth(ClientFrame.Auth f) {
            return out -> out.writeStringField("token", f.token());
        }

        @Override
        public FrameJson.Body visitOpen(ClientFrame.Open f) {
            UserId with = f.with();
            String title = f.title();
            if (with != null) {
                return out -> out.writeStringField("with", with.value());
            }
            return out -> {
                out.writeStringField("title", title);
                out.writeArrayFieldStart("members");
                for (UserId member : f.members()) {
                    out.writeString(member.value());
                }
                out.writeEndArray();
            };
        }

        @Override
        public FrameJson.Body visitSend(ClientFrame.Send f) {
            return out -> {
                out.writeStringField("conversationId", f.conversationId().value());
                out.writeStringField("clientMsgId", f.clientMsgId());
                out.writeStringField("body", f.body());
                out.writeStringField("priority", f.priority().wireName());
                if (!f.attachments().isEmpty()) {
                    out.writeArrayFieldStart("attachments");
                    for (AttachmentId id : f.attachments()) {
                        out.writeString(id.value());
                    }
                    out.writeEndArray();
                }
            };
        }

        @Override
        public FrameJson.Body visitDelivered(ClientFrame.Delivered f) {
            return out -> {
                out.writeStringField("conversationId", f.conversationId().value());
                out.writeNumberField("seq", f.seq());
            };
        }

        @Override
        public FrameJson.Body visitRead(ClientFrame.Read f) {
            return out -> {
                out.writeStringField("conversationId", f.conversationId().value());
                out.writeNumberField("seq", f.seq());
            };
        }

        @Override
        public FrameJson.Body visitHistory(ClientFrame.History f) {
            return out -> {
                out.writeStringField("conversationId", f.conversationId().value());
                if (f.beforeSeq() != null) {
                    out.writeNumberField("beforeSeq", f.beforeSeq());
                }
                if (f.limit() != null) {
                    out.writeNumberField("limit", f.limit());
                }
            };
        }

        @Override
        public FrameJson.Body visitConversations(ClientFrame.Conversations f) {
            return out -> { };
        }

        @Override
        public FrameJson.Body visitContacts(ClientFrame.Contacts f) {
            return out -> { };
        }

        @Override
        public FrameJson.Body visitTyping(ClientFrame.Typing f) {
            return out -> out.writeStringField("conversationId", f.conversationId().value());
        }

        @Override
        public FrameJson.Body visitPresence(ClientFrame.Presence f) {
            return out -> out.writeStringField("status", f.status().wireName());
        }

        @Override
        public FrameJson.Body visitPing(ClientFrame.Ping f) {
            return out -> { };
        }

        @Override
        public FrameJson.Body visitRecall(ClientFrame.Recall f) {
            return out -> {
                out.writeStringField("conversationId", f.conversationId().value());
                out.writeNumberField("seq", f.seq());
                out.writeStringField("reason", f.reason());
            };
        }
    }
}
