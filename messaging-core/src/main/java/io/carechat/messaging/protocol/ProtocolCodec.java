package io.carechat.messaging.protocol;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.carechat.messaging.model.AttachmentId;
import io.carechat.messaging.model.AttachmentRef;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.ConversationKind;
import io.carechat.messaging.model.ConversationMember;
import io.carechat.messaging.error.ErrorCode;
import io.carechat.messaging.model.MessageId;
import io.carechat.messaging.model.Presence;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.model.ReceiptKind;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.RoleRequestId;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.model.Ids;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Turns frames of the wire contract into JSON text and back, on Jackson.
 *
 * <p><b>Client frames are decoded strictly.</b> {@link #decodeClient(String)} enforces exactly
 * this, and refuses anything else with a {@link FrameException} ({@code bad_request}) that carries
 * the frame's {@code ref} whenever a well-formed one could be read, even from text that is not
 * valid JSON as long as the {@code ref} came before the fault:
 * <ul>
 *   <li>the text is at most {@link ProtocolLimits#maxFrameChars()} characters (checked before
 *       parsing), is one JSON value with nothing after it, and that value is an object;</li>
 *   <li>parsing is bounded by Jackson's {@link StreamReadConstraints}: nesting depth at most
 *       {@link ProtocolLimits#maxNestingDepth()}, numbers at most {@value #MAX_NUMBER_CHARS}
 *       characters, strings and the document at most the frame bound; no key appears twice in one
 *       object ({@link StreamReadFeature#STRICT_DUPLICATE_DETECTION}); no NaN, comments or other
 *       non-standard JSON;</li>
 *   <li>{@code ref}, when present, is a string of at most {@value ProtocolLimits#MAX_REF_CHARS}
 *       characters; {@code type} is a string naming one of the eleven client frames;</li>
 *   <li>every field the type needs is present and of its JSON type; no coercion ever happens, since
 *       fields are read from the tree by their node type: {@code "5"} is not a number, {@code 5.0}
 *       and {@code 5e0} are not whole numbers, {@code 1} is not a string or a boolean;</li>
 *   <li>ids ({@code conversationId}, {@code with}, attachment ids) are well-formed ids: 1 to 64
 *       characters from {@code [A-Za-z0-9_-]};</li>
 *   <li>{@code seq} and {@code beforeSeq} are non-negative whole numbers that fit in a
 *       {@code long}; {@code limit} is a whole number from 1 to
 *       {@link ProtocolLimits#maxHistoryLimit()};</li>
 *   <li>{@code clientMsgId} has 1 to {@link ProtocolLimits#maxClientMsgIdChars()} characters;
 *       {@code body} at most {@link ProtocolLimits#maxBodyChars()} code points; {@code token} 1 to
 *       {@link ProtocolLimits#maxTokenChars()} characters; {@code attachments} at most
 *       {@link ProtocolLimits#maxAttachments()} ids;</li>
 *   <li>{@code priority} is {@code normal} or {@code urgent}; {@code status} is
 *       {@code available}, {@code busy} or {@code away}.</li>
 * </ul>
 * A JSON {@code null} in an optional field means the field is absent; in a required field it is
 * missing. Fields the type does not use are ignored, so clients written against a later minor
 * version keep working (they still count against the size and depth bounds).
 *
 * <p><b>Server frames are encoded</b> with {@code type} first, the message object exactly as the
 * contract's "Message object", instants as ISO-8601 UTC text and enums by their lower-case wire
 * names (roles keep the upper-case names the tokens use). {@link #encode(ClientFrame)} and
 * {@link #decodeServer(String)} serve clients such as the Java client and tests; server frames are
 * decoded with the same type checks but without the client-side bounds.
 *
 * <p>Thread-safe and immutable once built: one instance serves every session.
 */
public final class ProtocolCodec {
    /** The longest number accepted, in characters: enough for any {@code long} with its sign. */
    public static final int MAX_NUMBER_CHARS = 20;

    private static final DateTimeFormatter INSTANT = DateTimeFormatter.ISO_INSTANT;

    private final ProtocolLimits limits;
    private final JsonFactory factory;
    private final ObjectMapper mapper;

    /**
     * Creates a codec.
     *
     * @param limits the bounds for client frames
     */
    public ProtocolCodec(ProtocolLimits limits) {
        this.limits = requireNonNull(limits, "limits");
        StreamReadConstraints constraints = StreamReadConstraints.builder()
                .maxNestingDepth(limits.maxNestingDepth())
                .maxNumberLength(MAX_NUMBER_CHARS)
                .maxStringLength(limits.maxFrameChars())
                .maxDocumentLength(limits.maxFrameChars())
                .build();
        this.factory = JsonFactory.builder()
                .streamReadConstraints(constraints)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .build();
        this.mapper = JsonMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    /**
     * A codec with {@link ProtocolLimits#defaults()}.
     *
     * @return the codec
     */
    public static ProtocolCodec withDefaults() {
        return new ProtocolCodec(ProtocolLimits.defaults());
    }

    /**
     * The bounds this codec enforces.
     *
     * @return the limits
     */
    public ProtocolLimits limits() {
        return limits;
    }

    // ---------------------------------------------------------------- client frames, decoding

    /**
     * Decodes a client frame, enforcing everything the class javadoc lists.
     *
     * @param text the frame's text
     * @return the typed frame
     * @throws FrameException when the frame breaks any rule, with the ref when it could be read
     */
    public ClientFrame decodeClient(String text) {
        requireNonNull(text, "text");
        if (text.length() > limits.maxFrameChars()) {
            throw new FrameException(null, "frame must be at most " + limits.maxFrameChars() + " characters");
        }
        FrameFields fields = parseObject(text);
        String type = fields.string("type", 1, 32);
        return switch (type) {
            case "auth" -> new ClientFrame.Auth(fields.ref(), fields.string("token", 1, limits.maxTokenChars()));
            case "open" -> new ClientFrame.Open(fields.ref(), fields.id("with", UserId::of));
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
            default -> throw fields.fail("type is not a known client frame");
        };
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

    private static Presence settableStatus(FrameFields fields) {
        Presence status = fields.lowerCaseEnum("status", Presence.class);
        if (status == Presence.OFFLINE) {
            throw fields.fail("status must be available, busy or away");
        }
        return status;
    }

    /** Parses the text into an object and reads its ref; fails with the ref when it can. */
    private FrameFields parseObject(String text) {
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            // The parser's message may quote the frame: it is dropped, not kept as the cause.
            throw new FrameException(scanRef(text), "frame is not valid JSON within the limits");
        }
        if (root == null || !root.isObject()) {
            throw new FrameException(null, "frame must be a JSON object");
        }
        JsonNode ref = root.get("ref");
        String refText = null;
        if (ref != null && !ref.isNull()) {
            if (!isWellFormedRef(ref)) {
                throw new FrameException(null, "ref must be a string of at most " + ProtocolLimits.MAX_REF_CHARS
                        + " characters");
            }
            refText = ref.textValue();
        }
        return new FrameFields((ObjectNode) root, refText);
    }

    private static boolean isWellFormedRef(JsonNode ref) {
        return ref.isTextual() && ref.textValue().length() <= ProtocolLimits.MAX_REF_CHARS;
    }

    /**
     * Reads a top-level {@code ref} from text that failed to parse, token by token up to the fault,
     * so the {@code bad_request} can still answer the request.
     */
    private @Nullable String scanRef(String text) {
        String ref = null;
        try (JsonParser parser = factory.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            int depth = 1;
            while (depth > 0) {
                JsonToken token = parser.nextToken();
                if (token == null) {
                    return ref;
                }
                if (token == JsonToken.FIELD_NAME && depth == 1 && "ref".equals(parser.currentName())
                        && parser.nextToken() == JsonToken.VALUE_STRING && ref == null
                        && parser.getTextLength() <= ProtocolLimits.MAX_REF_CHARS) {
                    ref = parser.getText();
                } else if (token.isStructStart()) {
                    depth++;
                } else if (token.isStructEnd()) {
                    depth--;
                }
            }
        } catch (IOException | RuntimeException e) {
            return ref;
        }
        return ref;
    }

    // ---------------------------------------------------------------- server frames, encoding

    /**
     * Encodes a server frame, {@code type} first.
     *
     * @param frame the frame
     * @return its JSON text
     */
    public String encode(ServerFrame frame) {
        requireNonNull(frame, "frame");
        return write(out -> {
            out.writeStartObject();
            out.writeStringField("type", frame.type());
            if (frame instanceof ServerFrame.Ready f) {
                ref(out, f.ref());
                out.writeObjectFieldStart("user");
                out.writeStringField("id", f.userId().value());
                roles(out, f.roles());
                out.writeEndObject();
                conversationViews(out, f.conversations());
                out.writeNumberField("unreadTotal", f.unreadTotal());
            } else if (frame instanceof ServerFrame.Message f) {
                out.writeFieldName("message");
                message(out, f.message());
            } else if (frame instanceof ServerFrame.Sent f) {
                ref(out, f.ref());
                out.writeFieldName("message");
                message(out, f.message());
            } else if (frame instanceof ServerFrame.Receipt f) {
                out.writeStringField("conversationId", f.conversationId().value());
                out.writeStringField("userId", f.userId().value());
                out.writeStringField("kind", f.kind().wireName());
                out.writeNumberField("seq", f.seq());
            } else if (frame instanceof ServerFrame.Unread f) {
                out.writeStringField("conversationId", f.conversationId().value());
                out.writeNumberField("count", f.count());
                out.writeNumberField("total", f.total());
            } else if (frame instanceof ServerFrame.Conversation f) {
                ref(out, f.ref());
                out.writeFieldName("conversation");
                conversation(out, f.conversation(), f.members());
            } else if (frame instanceof ServerFrame.History f) {
                ref(out, f.ref());
                out.writeStringField("conversationId", f.conversationId().value());
                out.writeArrayFieldStart("messages");
                for (MessageView m : f.messages()) {
                    message(out, m);
                }
                out.writeEndArray();
                out.writeBooleanField("hasMore", f.hasMore());
            } else if (frame instanceof ServerFrame.Conversations f) {
                ref(out, f.ref());
                conversationViews(out, f.conversations());
            } else if (frame instanceof ServerFrame.Contacts f) {
                ref(out, f.ref());
                out.writeArrayFieldStart("contacts");
                for (ContactView c : f.contacts()) {
                    out.writeStartObject();
                    out.writeStringField("id", c.id().value());
                    out.writeStringField("displayName", c.displayName());
                    roles(out, c.roles());
                    out.writeStringField("presence", c.presence().wireName());
                    out.writeEndObject();
                }
                out.writeEndArray();
            } else if (frame instanceof ServerFrame.Typing f) {
                out.writeStringField("conversationId", f.conversationId().value());
                out.writeStringField("userId", f.userId().value());
            } else if (frame instanceof ServerFrame.Presence f) {
                out.writeStringField("userId", f.userId().value());
                out.writeStringField("status", f.status().wireName());
            } else if (frame instanceof ServerFrame.Notice f) {
                out.writeStringField("kind", "role_request");
                out.writeObjectFieldStart("request");
                out.writeStringField("id", f.requestId().value());
                out.writeStringField("userId", f.userId().value());
                out.writeStringField("role", f.role().name());
                out.writeStringField("createdAt", INSTANT.format(f.createdAt()));
                out.writeEndObject();
            } else if (frame instanceof ServerFrame.Ok f) {
                ref(out, f.ref());
            } else if (frame instanceof ServerFrame.Pong f) {
                ref(out, f.ref());
            } else if (frame instanceof ServerFrame.Error f) {
                ref(out, f.ref());
                out.writeStringField("code", f.code().wireName());
                out.writeStringField("message", f.message());
            }
            out.writeEndObject();
        });
    }

    private static void ref(JsonGenerator out, @Nullable String ref) throws IOException {
        if (ref != null) {
            out.writeStringField("ref", ref);
        }
    }

    private static void roles(JsonGenerator out, Set<Role> roles) throws IOException {
        out.writeArrayFieldStart("roles");
        for (Role role : Role.values()) {
            if (roles.contains(role)) {
                out.writeString(role.name());
            }
        }
        out.writeEndArray();
    }

    private static void message(JsonGenerator out, MessageView m) throws IOException {
        out.writeStartObject();
        out.writeStringField("id", m.id().value());
        out.writeStringField("conversationId", m.conversationId().value());
        out.writeNumberField("seq", m.seq());
        out.writeStringField("senderId", m.senderId().value());
        out.writeStringField("body", m.body());
        out.writeStringField("priority", m.priority().wireName());
        out.writeStringField("sentAt", INSTANT.format(m.sentAt()));
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

    private static void conversation(JsonGenerator out, Conversation c, List<ConversationMember> members)
            throws IOException {
        out.writeStartObject();
        out.writeStringField("id", c.id().value());
        out.writeStringField("kind", kindName(c.kind()));
        memberIds(out, c.memberIds());
        members(out, members);
        out.writeStringField("createdAt", INSTANT.format(c.createdAt()));
        out.writeEndObject();
    }

    private static void conversationViews(JsonGenerator out, List<ConversationView> views) throws IOException {
        out.writeArrayFieldStart("conversations");
        for (ConversationView c : views) {
            out.writeStartObject();
            out.writeStringField("id", c.id().value());
            out.writeStringField("kind", kindName(c.kind()));
            memberIds(out, c.memberIds());
            members(out, c.members());
            out.writeStringField("createdAt", INSTANT.format(c.createdAt()));
            out.writeNumberField("lastSeq", c.lastSeq());
            if (c.lastMessageAt() != null) {
                out.writeStringField("lastMessageAt", INSTANT.format(c.lastMessageAt()));
            }
            out.writeNumberField("deliveredSeq", c.deliveredSeq());
            out.writeNumberField("readSeq", c.readSeq());
            out.writeNumberField("unread", c.unread());
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

    private static void members(JsonGenerator out, List<ConversationMember> members) throws IOException {
        out.writeArrayFieldStart("members");
        for (ConversationMember member : members) {
            out.writeStartObject();
            out.writeStringField("id", member.id().value());
            out.writeStringField("displayName", member.displayName());
            roles(out, member.roles());
            out.writeNumberField("deliveredSeq", member.deliveredSeq());
            out.writeNumberField("readSeq", member.readSeq());
            out.writeEndObject();
        }
        out.writeEndArray();
    }

    private static String kindName(ConversationKind kind) {
        return kind == ConversationKind.DIRECT ? "direct" : "group";
    }

    // ---------------------------------------------------------------- client frames, encoding

    /**
     * Encodes a client frame, {@code type} first, for clients and tests.
     *
     * @param frame the frame
     * @return its JSON text
     */
    public String encode(ClientFrame frame) {
        requireNonNull(frame, "frame");
        return write(out -> {
            out.writeStartObject();
            out.writeStringField("type", frame.type());
            ref(out, frame.ref());
            if (frame instanceof ClientFrame.Auth f) {
                out.writeStringField("token", f.token());
            } else if (frame instanceof ClientFrame.Open f) {
                out.writeStringField("with", f.with().value());
            } else if (frame instanceof ClientFrame.Send f) {
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
            } else if (frame instanceof ClientFrame.Delivered f) {
                out.writeStringField("conversationId", f.conversationId().value());
                out.writeNumberField("seq", f.seq());
            } else if (frame instanceof ClientFrame.Read f) {
                out.writeStringField("conversationId", f.conversationId().value());
                out.writeNumberField("seq", f.seq());
            } else if (frame instanceof ClientFrame.History f) {
                out.writeStringField("conversationId", f.conversationId().value());
                if (f.beforeSeq() != null) {
                    out.writeNumberField("beforeSeq", f.beforeSeq());
                }
                if (f.limit() != null) {
                    out.writeNumberField("limit", f.limit());
                }
            } else if (frame instanceof ClientFrame.Typing f) {
                out.writeStringField("conversationId", f.conversationId().value());
            } else if (frame instanceof ClientFrame.Presence f) {
                out.writeStringField("status", f.status().wireName());
            }
            // conversations, contacts and ping carry nothing besides type and ref
            out.writeEndObject();
        });
    }

    // ---------------------------------------------------------------- server frames, decoding

    /**
     * Decodes a server frame, for clients and tests. Field types are checked as strictly as for
     * client frames; the client-side length bounds do not apply. Unknown fields are ignored.
     *
     * @param text the frame's text
     * @return the typed frame
     * @throws FrameException when the text is not a server frame of this contract
     */
    public ServerFrame decodeServer(String text) {
        requireNonNull(text, "text");
        FrameFields f = parseObject(text);
        String type = f.string("type", 1, 32);
        return switch (type) {
            case "ready" -> {
                FrameFields user = f.object("user");
                yield new ServerFrame.Ready(f.ref(), user.id("id", UserId::of), roles(user),
                        conversationViews(f), f.seq("unreadTotal"));
            }
            case "message" -> new ServerFrame.Message(messageView(f.object("message")));
            case "sent" -> new ServerFrame.Sent(f.ref(), messageView(f.object("message")));
            case "receipt" -> new ServerFrame.Receipt(f.id("conversationId", ConversationId::of),
                    f.id("userId", UserId::of), f.lowerCaseEnum("kind", ReceiptKind.class), f.seq("seq"));
            case "unread" -> new ServerFrame.Unread(
                    f.id("conversationId", ConversationId::of), f.seq("count"), f.seq("total"));
            case "conversation" -> {
                FrameFields c = f.object("conversation");
                yield new ServerFrame.Conversation(f.ref(), new Conversation(c.id("id", ConversationId::of),
                        c.lowerCaseEnum("kind", ConversationKind.class), memberIds(c), c.instant("createdAt")),
                        members(c));
            }
            case "history" -> {
                List<MessageView> messages = new ArrayList<>();
                for (JsonNode item : f.array("messages", Integer.MAX_VALUE)) {
                    messages.add(messageView(f.objectOf("messages", item)));
                }
                yield new ServerFrame.History(
                        f.ref(), f.id("conversationId", ConversationId::of), messages, f.bool("hasMore"));
            }
            case "conversations" -> new ServerFrame.Conversations(f.ref(), conversationViews(f));
            case "contacts" -> {
                List<ContactView> contacts = new ArrayList<>();
                for (JsonNode item : f.array("contacts", Integer.MAX_VALUE)) {
                    FrameFields c = f.objectOf("contacts", item);
                    contacts.add(new ContactView(c.id("id", UserId::of), c.string("displayName", 0, Integer.MAX_VALUE),
                            roles(c), c.lowerCaseEnum("presence", Presence.class)));
                }
                yield new ServerFrame.Contacts(f.ref(), contacts);
            }
            case "typing" -> new ServerFrame.Typing(f.id("conversationId", ConversationId::of), f.id("userId", UserId::of));
            case "presence" -> new ServerFrame.Presence(f.id("userId", UserId::of), f.lowerCaseEnum("status", Presence.class));
            case "notice" -> {
                FrameFields r = f.object("request");
                yield new ServerFrame.Notice(r.id("id", RoleRequestId::of), r.id("userId", UserId::of),
                        r.enumOf("role", r.string("role", 1, 32), Role.class, Role::name), r.instant("createdAt"));
            }
            case "ok" -> new ServerFrame.Ok(f.ref());
            case "pong" -> new ServerFrame.Pong(f.ref());
            case "error" -> new ServerFrame.Error(f.ref(),
                    f.enumOf("code", f.string("code", 1, 32), ErrorCode.class, ErrorCode::wireName),
                    f.string("message", 0, Integer.MAX_VALUE));
            default -> throw f.fail("type is not a known server frame");
        };
    }

    private static Set<Role> roles(FrameFields f) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (JsonNode item : f.array("roles", Role.values().length)) {
            if (!item.isTextual()) {
                throw f.fail("roles must hold strings");
            }
            roles.add(f.enumOf("roles", item.textValue(), Role.class, Role::name));
        }
        return roles;
    }

    private static List<UserId> memberIds(FrameFields f) {
        List<UserId> members = new ArrayList<>();
        for (JsonNode item : f.array("memberIds", Integer.MAX_VALUE)) {
            if (!item.isTextual() || !Ids.isWellFormed(item.textValue())) {
                throw f.fail("memberIds must hold user ids");
            }
            members.add(UserId.of(item.textValue()));
        }
        return members;
    }

    private static List<ConversationMember> members(FrameFields f) {
        List<ConversationMember> members = new ArrayList<>();
        for (JsonNode item : f.array("members", Integer.MAX_VALUE)) {
            FrameFields m = f.objectOf("members", item);
            members.add(new ConversationMember(m.id("id", UserId::of), m.string("displayName", 0, Integer.MAX_VALUE),
                    roles(m), m.seq("deliveredSeq"), m.seq("readSeq")));
        }
        return members;
    }

    private static List<ConversationView> conversationViews(FrameFields f) {
        List<ConversationView> views = new ArrayList<>();
        for (JsonNode item : f.array("conversations", Integer.MAX_VALUE)) {
            FrameFields c = f.objectOf("conversations", item);
            views.add(new ConversationView(c.id("id", ConversationId::of),
                    c.lowerCaseEnum("kind", ConversationKind.class), memberIds(c), members(c), c.instant("createdAt"),
                    c.seq("lastSeq"), c.optionalInstant("lastMessageAt"), c.seq("deliveredSeq"),
                    c.seq("readSeq"), c.seq("unread")));
        }
        return views;
    }

    private static MessageView messageView(FrameFields m) {
        List<AttachmentRef> attachments = new ArrayList<>();
        for (JsonNode item : m.array("attachments", Integer.MAX_VALUE)) {
            FrameFields a = m.objectOf("attachments", item);
            attachments.add(new AttachmentRef(a.id("id", AttachmentId::of), a.string("name", 0, Integer.MAX_VALUE),
                    a.string("contentType", 1, 255), a.seq("size")));
        }
        return new MessageView(m.id("id", MessageId::of), m.id("conversationId", ConversationId::of), m.seq("seq"),
                m.id("senderId", UserId::of), m.string("body", 0, Integer.MAX_VALUE),
                m.enumOf("priority", m.string("priority", 1, 32), Priority.class, Priority::wireName),
                m.instant("sentAt"), m.optionalString("clientMsgId", 1, 64), attachments);
    }

    // ---------------------------------------------------------------- plumbing

    @FunctionalInterface
    private interface Writer {
        void write(JsonGenerator out) throws IOException;
    }

    private String write(Writer writer) {
        StringWriter text = new StringWriter(256);
        try (JsonGenerator out = factory.createGenerator(text)) {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to a string", e);
        }
        return text.toString();
    }

}
