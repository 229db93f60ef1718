package io.carechat.messaging.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.carechat.messaging.model.AttachmentId;
import io.carechat.messaging.model.AttachmentRef;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.ConversationKind;
import io.carechat.messaging.model.ConversationMember;
import io.carechat.messaging.model.MessageId;
import io.carechat.messaging.model.Presence;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.UserId;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Writes and reads the objects server frames carry, as the contract shapes them: the message
 * object, conversations with their members, contacts and role lists. Instants travel as ISO-8601
 * UTC text, enums by their lower-case wire names, roles by the upper-case names tokens use.
 * Readers check field types as strictly as {@link FrameFields} does, without the client-side
 * bounds. Stateless and thread-safe.
 */
final class ViewJson {
    private static final DateTimeFormatter INSTANT = DateTimeFormatter.ISO_INSTANT;

    private ViewJson() {}

    static String instant(Instant value) {
        return INSTANT.format(value);
    }

    // ---------------------------------------------------------------- writing

    static void roles(JsonGenerator out, Set<Role> roles) throws IOException {
        out.writeArrayFieldStart("roles");
        for (Role role : Role.values()) {
            if (roles.contains(role)) {
                out.writeString(role.name());
            }
        }
        out.writeEndArray();
    }

    static void message(JsonGenerator out, MessageView m) throws IOException {
        out.writeStartObject();
        out.writeStringField("id", m.id().value());
        out.writeStringField("conversationId", m.conversationId().value());
        out.writeNumberField("seq", m.seq());
        out.writeStringField("senderId", m.senderId().value());
        if (m.recalled()) {
            out.writeBooleanField("recalled", true);
        } else {
            out.writeStringField("body", m.body());
        }
        out.writeStringField("priority", m.priority().wireName());
        out.writeStringField("sentAt", instant(m.sentAt()));
        if (m.clientMsgId() != null) {
            out.writeStringField("clientMsgId", m.clientMsgId());
        }
        out.writeArrayFieldStart("attachments");
        for (AttachmentRef a : m.attachments()) {
            out.writeStartObject();
            out.writeStringField("id", a.id().value());
            out.writeStringField("name", a.name());
            out.writeStringField("contentType", a.contentType());
            out.writeNumberField("size", a.size());
            out.writeEndObject();
        }
        out.writeEndArray();
        out.writeEndObject();
    }

    static void conversation(JsonGenerator out, Conversation c, List<ConversationMember> members)
            throws IOException {
        out.writeStartObject();
        out.writeStringField("id", c.id().value());
        out.writeStringField("kind", kindName(c.kind()));
        if (c.title() != null) {
            out.writeStringField("title", c.title());
        }
        memberIds(out, c.memberIds());
        members(out, members);
        out.writeStringField("createdAt", instant(c.createdAt()));
        out.writeEndObject();
    }

    static void conversationViews(JsonGenerator out, List<ConversationView> views) throws IOException {
        out.writeArrayFieldStart("conversations");
        for (ConversationView c : views) {
            out.writeStartObject();
            out.writeStringField("id", c.id().value());
            out.writeStringField("kind", kindName(c.kind()));
            if (c.title() != null) {
                out.writeStringField("title", c.title());
            }
            memberIds(out, c.memberIds());
            members(out, c.members());
            out.writeStringField("createdAt", instant(c.createdAt()));
            out.writeNumberField("lastSeq", c.lastSeq());
            if (c.lastMessageAt() != null) {
                out.writeStringField("lastMessageAt", instant(c.lastMessageAt()));
            }
            out.writeNumberField("deliveredSeq", c.deliveredSeq());
            out.writeNumberField("readSeq", c.readSeq());
            out.writeNumberField("unread", c.unread());
            out.writeEndObject();
        }
        out.writeEndArray();
    }

    static void contacts(JsonGenerator out, List<ContactView> contacts) throws IOException {
        out.writeArrayFieldStart("contacts");
        for (ContactView c : contacts) {
            out.writeStartObject();
            out.writeStringField("id", c.id().value());
            out.writeStringField("displayName", c.displayName());
            roles(out, c.roles());
            out.writeStringField("presence", c.presence().wireName());
            out.writeEndObject();
        }
        out.writeEndArray();
    }

    private static void memberIds(JsonGenerator out, List<UserId> members) throws IOException {
        out.writeArrayFieldStart("memberIds");
        for (UserId member : members) {
            out.writeString(member.value());
        }
        out.writeEndArray();
    }

    static void writeMembers(JsonGenerator out, List<ConversationMember> members) throws IOException {
        members(out, members);
    }

    private static void members(JsonGenerator out, List<ConversationMember> members) throws IOException {
        out.writeArrayFieldStart("members");
        for (ConversationMember member : members) {
            out.writeStartObject();
            out.writeStringField("id", member.id().value());
            out.writeStringField("displayName", member.displayName());
            roles(out, member.roles());
            out.writeNumberField("deliveredSeq", member.deliveredSeq());
            out.writeNumberField("readSeq", member.readSeq());
            out.writeNumberField("joinedSeq", member.joinedSeq());
            out.writeEndObject();
        }
        out.writeEndArray();
    }

    private static String kindName(ConversationKind kind) {
        return kind == ConversationKind.DIRECT ? "direct" : "group";
    }

    // ---------------------------------------------------------------- reading

    static Set<Role> roles(FrameFields f) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (JsonNode item : f.array("roles", Role.values().length)) {
            if (!item.isTextual()) {
                throw f.fail("roles must hold strings");
            }
            roles.add(f.enumOf("roles", item.textValue(), Role.class, Role::name));
        }
        return roles;
    }

    static MessageView messageView(FrameFields m) {
        List<AttachmentRef> attachments = new ArrayList<>();
        for (JsonNode item : m.array("attachments", Integer.MAX_VALUE)) {
            FrameFields a = m.objectOf("attachments", item);
            attachments.add(new AttachmentRef(a.id("id", AttachmentId::of), a.string("name", 0, Integer.MAX_VALUE),
                    a.string("contentType", 1, 255), a.seq("size")));
        }
        boolean recalled = m.optionalBool("recalled");
        return new MessageView(m.id("id", MessageId::of), m.id("conversationId", ConversationId::of), m.seq("seq"),
                m.userId("senderId"), recalled ? "" : m.string("body", 0, Integer.MAX_VALUE),
                m.enumOf("priority", m.string("priority", 1, 32), Priority.class, Priority::wireName),
                m.instant("sentAt"), m.optionalString("clientMsgId", 1, 64), attachments, recalled);
    }

    static List<MessageView> messageViews(FrameFields f) {
        List<MessageView> messages = new ArrayList<>();
        for (JsonNode item : f.array("messages", Integer.MAX_VALUE)) {
            messages.add(messageView(f.objectOf("messages", item)));
        }
        return messages;
    }

    static Conversation conversation(FrameFields c) {
        return new Conversation(c.id("id", ConversationId::of), c.lowerCaseEnum("kind", ConversationKind.class),
                memberIds(c), c.instant("createdAt"), c.optionalString("title", 1, Conversation.MAX_TITLE_CHARS));
    }

    static List<ConversationMember> members(FrameFields f) {
        List<ConversationMember> members = new ArrayList<>();
        for (JsonNode item : f.array("members", Integer.MAX_VALUE)) {
            FrameFields m = f.objectOf("members", item);
            members.add(new ConversationMember(m.userId("id"), m.string("displayName", 0, Integer.MAX_VALUE),
                    roles(m), m.seq("deliveredSeq"), m.seq("readSeq"), joinedSeq(m)));
        }
        return members;
    }

    /** A member's {@code joinedSeq}, 0 when a server of version 1.0 sent none. */
    private static long joinedSeq(FrameFields m) {
        Long joined = m.optionalSeq("joinedSeq");
        return joined == null ? 0 : joined;
    }

    static List<ConversationView> conversationViews(FrameFields f) {
        List<ConversationView> views = new ArrayList<>();
        for (JsonNode item : f.array("conversations", Integer.MAX_VALUE)) {
            FrameFields c = f.objectOf("conversations", item);
            views.add(new ConversationView(c.id("id", ConversationId::of),
                    c.lowerCaseEnum("kind", ConversationKind.class), memberIds(c), members(c), c.instant("createdAt"),
                    c.seq("lastSeq"), c.optionalInstant("lastMessageAt"), c.seq("deliveredSeq"),
                    c.seq("readSeq"), c.seq("unread"), c.optionalString("title", 1, Conversation.MAX_TITLE_CHARS)));
        }
        return views;
    }

    static List<ContactView> contacts(FrameFields f) {
        List<ContactView> contacts = new ArrayList<>();
        for (JsonNode item : f.array("contacts", Integer.MAX_VALUE)) {
            FrameFields c = f.objectOf("contacts", item);
            contacts.add(new ContactView(c.userId("id"), c.string("displayName", 0, Integer.MAX_VALUE),
                    roles(c), c.lowerCaseEnum("presence", Presence.class)));
        }
        return contacts;
    }

    private static List<UserId> memberIds(FrameFields f) {
        List<UserId> members = new ArrayList<>();
        for (JsonNode item : f.array("memberIds", Integer.MAX_VALUE)) {
            if (!item.isTextual() || !UserId.isWellFormed(item.textValue())) {
                throw f.fail("memberIds must hold user ids");
            }
            members.add(UserId.of(item.textValue()));
        }
        return members;
    }
}
