package io.carechat.messaging.protocol;

import io.carechat.messaging.error.ErrorCode;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.Presence;
import io.carechat.messaging.model.ReceiptKind;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.RoleRequestId;
import io.carechat.messaging.model.UserId;
import java.util.List;

/**
 * Server frames to JSON text and back. Encoding writes {@code type} first, then {@code ref} when
 * the frame answers a request, then the frame's fields through {@link ViewJson}; it is a
 * {@link ServerFrame.Visitor}, so a server frame it cannot write does not compile. Decoding, for
 * clients and tests, checks every field's type as strictly as for client frames but without the
 * client-side bounds, and ignores unknown fields.
 *
 * <p>Immutable and thread-safe: one instance serves every session.
 */
final class ServerFrameCodec {
    private static final ServerFrame.Visitor<FrameJson.Body> BODIES = new Bodies();

    private final FrameJson json;

    ServerFrameCodec(FrameJson json) {
        this.json = json;
    }

    String encode(ServerFrame frame) {
        return json.writeFrame(frame.type(), frame.ref(), frame.accept(BODIES));
    }

    ServerFrame decode(String text) {
        FrameFields f = json.parseObject(text);
        String type = f.string("type", 1, 32);
        return switch (type) {
            case "ready" -> {
                FrameFields user = f.object("user");
                yield new ServerFrame.Ready(f.ref(), user.userId("id"), ViewJson.roles(user),
                        ViewJson.conversationViews(f), f.seq("unreadTotal"));
            }
            case "message" -> new ServerFrame.Message(ViewJson.messageView(f.object("message")));
            case "sent" -> new ServerFrame.Sent(f.ref(), ViewJson.messageView(f.object("message")));
            case "receipt" -> new ServerFrame.Receipt(f.id("conversationId", ConversationId::of),
                    f.userId("userId"), f.lowerCaseEnum("kind", ReceiptKind.class), f.seq("seq"));
            case "unread" -> new ServerFrame.Unread(
                    f.id("conversationId", ConversationId::of), f.seq("count"), f.seq("total"));
            case "conversation" -> {
                FrameFields c = f.object("conversation");
                yield new ServerFrame.Conversation(f.ref(), ViewJson.conversation(c), ViewJson.members(c));
            }
            case "history" -> {
                List<MessageView> messages = ViewJson.messageViews(f);
                yield new ServerFrame.History(
                        f.ref(), f.id("conversationId", ConversationId::of), messages, f.bool("hasMore"));
            }
            case "conversations" -> new ServerFrame.Conversations(f.ref(), ViewJson.conversationViews(f));
            case "contacts" -> new ServerFrame.Contacts(f.ref(), ViewJson.contacts(f));
            case "members" -> new ServerFrame.Members(f.id("conversationId", ConversationId::of), ViewJson.members(f));
            case "typing" -> new ServerFrame.Typing(
                    f.id("conversationId", ConversationId::of), f.userId("userId"));
            case "presence" -> new ServerFrame.Presence(
                    f.userId("userId"), f.lowerCaseEnum("status", Presence.class));
            case "notice" -> {
                String kind = f.optionalString("kind", 1, 32);
                if ("escalation".equals(kind)) {
                    yield new ServerFrame.EscalationNotice(f.id("conversationId", ConversationId::of), f.seq("seq"));
                }
                if ("break_glass".equals(kind)) {
                    yield new ServerFrame.BreakGlassNotice(f.string("grantId", 1, 64),
                            f.id("conversationId", ConversationId::of), f.userId("userId"),
                            f.instant("grantedAt"), f.instant("expiresAt"));
                }
                FrameFields r = f.object("request");
                yield new ServerFrame.Notice(r.id("id", RoleRequestId::of), r.userId("userId"),
                        r.enumOf("role", r.string("role", 1, 32), Role.class, Role::name), r.instant("createdAt"));
            }
            case "ok" -> new ServerFrame.Ok(f.ref());
            case "pong" -> new ServerFrame.Pong(f.ref());
            case "error" -> new ServerFrame.Error(f.ref(),
                    f.enumOf("code", f.string("code", 1, 32), ErrorCode.class, ErrorCode::wireName),
                    f.string("message", 0, Integer.MAX_VALUE));
            case "recalled" -> new ServerFrame.Recalled(
                    f.id("conversationId", ConversationId::of), f.seq("seq"), f.instant("recalledAt"));
            default -> throw f.fail("type is not a known server frame");
        };
    }

    /** The fields of each server frame after its {@code type} and {@code ref}. Stateless. */
    private static final class Bodies implements ServerFrame.Visitor<FrameJson.Body> {
        @Override
        public FrameJson.Body visitReady(ServerFrame.Ready f) {
            return out -> {
                out.writeObjectFieldStart("user");
                out.writeStringField("id", f.userId().value());
                ViewJson.roles(out, f.roles());
                out.writeEndObject();
                ViewJson.conversationViews(out, f.conversations());
                out.writeNumberField("unreadTotal", f.unreadTotal());
            };
        }

        @Override
        public FrameJson.Body visitMessage(ServerFrame.Message f) {
            return out -> {
                out.writeFieldName("message");
                ViewJson.message(out, f.message());
            };
        }

        @Override
        public FrameJson.Body visitSent(ServerFrame.Sent f) {
            return out -> {
                out.writeFieldName("message");
                ViewJson.message(out, f.message());
            };
        }

        @Override
        public FrameJson.Body visitReceipt(ServerFrame.Receipt f) {
            return out -> {
                out.writeStringField("conversationId", f.conversationId().value());
                out.writeStringField("userId", f.userId().value());
                out.writeStringField("kind", f.kind().wireName());
                out.writeNumberField("seq", f.seq());
            };
        }

        @Override
        public FrameJson.Body visitUnread(ServerFrame.Unread f) {
            return out -> {
                out.writeStringField("conversationId", f.conversationId().value());
                out.writeNumberField("count", f.count());
                out.writeNumberField("total", f.total());
            };
        }

        @Override
        public FrameJson.Body visitConversation(ServerFrame.Conversation f) {
            return out -> {
                out.writeFieldName("conversation");
                ViewJson.conversation(out, f.conversation(), f.members());
            };
        }

        @Override
        public FrameJson.Body visitHistory(ServerFrame.History f) {
            return out -> {
                out.writeStringField("conversationId", f.conversationId().value());
                out.writeArrayFieldStart("messages");
                for (MessageView m : f.messages()) {
                    ViewJson.message(out, m);
                }
                out.writeEndArray();
                out.writeBooleanField("hasMore", f.hasMore());
            };
        }

        @Override
        public FrameJson.Body visitConversations(ServerFrame.Conversations f) {
            return out -> ViewJson.conversationViews(out, f.conversations());
        }

        @Override
        public FrameJson.Body visitContacts(ServerFrame.Contacts f) {
            return out -> ViewJson.contacts(out, f.contacts());
        }

        @Override
        public FrameJson.Body visitTyping(ServerFrame.Typing f) {
            return out -> {
                out.writeStringField("conversationId", f.conversationId().value());
                out.writeStringField("userId", f.userId().value());
            };
        }

        @Override
        public FrameJson.Body visitPresence(ServerFrame.Presence f) {
            return out -> {
                out.writeStringField("userId", f.userId().value());
                out.writeStringField("status", f.status().wireName());
            };
        }

        @Override
        public FrameJson.Body visitEscalationNotice(ServerFrame.EscalationNotice f) {
            return out -> {
                out.writeStringField("kind", "escalation");
                out.writeStringField("conversationId", f.conversationId().value());
                out.writeNumberField("seq", f.seq());
            };
        }

        @Override
        public FrameJson.Body visitBreakGlassNotice(ServerFrame.BreakGlassNotice f) {
            return out -> {
                out.writeStringField("kind", "break_glass");
                out.writeStringField("grantId", f.grantId());
                out.writeStringField("conversationId", f.conversationId().value());
                out.writeStringField("userId", f.userId().value());
                out.writeStringField("grantedAt", ViewJson.instant(f.grantedAt()));
                out.writeStringField("expiresAt", ViewJson.instant(f.expiresAt()));
            };
        }

        @Override
        public FrameJson.Body visitNotice(ServerFrame.Notice f) {
            return out -> {
                out.writeStringField("kind", "role_request");
                out.writeObjectFieldStart("request");
                out.writeStringField("id", f.requestId().value());
                out.writeStringField("userId", f.userId().value());
                out.writeStringField("role", f.role().name());
                out.writeStringField("createdAt", ViewJson.instant(f.createdAt()));
                out.writeEndObject();
            };
        }

        @Override
        public FrameJson.Body visitOk(ServerFrame.Ok f) {
            return out -> { };
        }

        @Override
        public FrameJson.Body visitPong(ServerFrame.Pong f) {
            return out -> { };
        }

        @Override
        public FrameJson.Body visitMembers(ServerFrame.Members f) {
            return out -> {
                out.writeStringField("conversationId", f.conversationId().value());
                ViewJson.writeMembers(out, f.members());
            };
        }

        @Override
        public FrameJson.Body visitError(ServerFrame.Error f) {
            return out -> {
                out.writeStringField("code", f.code().wireName());
                out.writeStringField("message", f.message());
            };
        }

        @Override
        public FrameJson.Body visitRecalled(ServerFrame.Recalled f) {
            return out -> {
                out.writeStringField("conversationId", f.conversationId().value());
                out.writeNumberField("seq", f.seq());
                out.writeStringField("recalledAt", ViewJson.instant(f.recalledAt()));
            };
        }
    }
}
