package io.carechat.messaging.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

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
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("ProtocolCodec")
class ProtocolCodecTest {
    private static final ProtocolCodec CODEC = ProtocolCodec.withDefaults();
    private static final ConversationId CONV = ConversationId.of("conv-1");
    private static final UserId ALICE = UserId.of("alice");
    private static final UserId BOB = UserId.of("bob");
    private static final Instant AT = Instant.parse("2026-11-25T20:16:24.123Z");

    static Stream<ClientFrame> clientFrames() {
        return Stream.of(
                new ClientFrame.Auth("r1", "header.payload.signature"),
                new ClientFrame.Open("r2", BOB),
                ClientFrame.Open.group("r2g", "Ward \"7\" \u00e9", List.of(ALICE, BOB)),
                new ClientFrame.Send("r3", CONV, "c-1", "Hello \"doctor\" \u00e9\ud83d\ude00", Priority.URGENT,
                        List.of(AttachmentId.of("att-1"), AttachmentId.of("att-2"))),
                new ClientFrame.Send(null, CONV, "c-2", "", Priority.NORMAL, List.of()),
                new ClientFrame.Delivered("r4", CONV, 0),
                new ClientFrame.Read("r5", CONV, Long.MAX_VALUE),
                new ClientFrame.History("r6", CONV, 42L, 100),
                new ClientFrame.History(null, CONV, null, null),
                new ClientFrame.Conversations("r7"),
                new ClientFrame.Contacts(""),
                new ClientFrame.Typing("r8", CONV),
                new ClientFrame.Presence("r9", Presence.AWAY),
                new ClientFrame.Ping("x".repeat(64)),
                new ClientFrame.Recall("r10", CONV, 3, "wrong patient \u00e9"));
    }

    static Stream<ServerFrame> serverFrames() {
        MessageView mine = new MessageView(MessageId.of("m-1"), CONV, 7, ALICE, "Hi \u2028 there", Priority.NORMAL, AT,
                "c-1", List.of(new AttachmentRef(AttachmentId.of("att-1"), "scan.pdf", "application/pdf", 1234)));
        MessageView theirs = new MessageView(MessageId.of("m-2"), CONV, 8, BOB, "Yes", Priority.URGENT, AT, null,
                List.of());
        List<ConversationMember> members = List.of(
                new ConversationMember(ALICE, "Alice \"Al\" \u00c5", Set.of(Role.PATIENT), 8, 7),
                new ConversationMember(BOB, "", Set.of(), 3, 0));
        ConversationView view = new ConversationView(CONV, ConversationKind.DIRECT, List.of(ALICE, BOB), members, AT,
                8, AT, 8, 7, 1);
        ConversationView empty = new ConversationView(ConversationId.of("conv-2"), ConversationKind.GROUP,
                List.of(ALICE), List.of(), AT, 0, null, 0, 0, 0, "Care team");
        List<ConversationMember> joined = List.of(
                new ConversationMember(ALICE, "Alice", Set.of(Role.DOCTOR), 8, 8, 0),
                new ConversationMember(BOB, "Bob", Set.of(Role.PATIENT), 9, 8, 8));
        return Stream.of(
                new ServerFrame.Ready("r1", ALICE, Set.of(Role.DOCTOR, Role.ADMIN), List.of(view, empty), 1),
                new ServerFrame.Ready(null, ALICE, Set.of(), List.of(), 0),
                new ServerFrame.Message(theirs),
                new ServerFrame.Sent("r2", mine),
                new ServerFrame.Receipt(CONV, BOB, ReceiptKind.READ, 7),
                new ServerFrame.Unread(CONV, 3, 9),
                new ServerFrame.Conversation("r3", new Conversation(CONV, ConversationKind.DIRECT, List.of(ALICE, BOB), AT),
                        members),
                new ServerFrame.History("r4", CONV, List.of(mine, theirs), true),
                new ServerFrame.Conversations("r5", List.of(view)),
                new ServerFrame.Contacts("r6", List.of(new ContactView(BOB, "Dr. Bob", Set.of(Role.DOCTOR), Presence.BUSY))),
                new ServerFrame.Conversation("r3g", new Conversation(CONV, ConversationKind.GROUP, List.of(ALICE, BOB),
                        AT, "Ward 7"), joined),
                new ServerFrame.Members(CONV, joined),
                new ServerFrame.Typing(CONV, BOB),
                new ServerFrame.Presence(BOB, Presence.OFFLINE),
                new ServerFrame.Notice(RoleRequestId.of("rr-1"), BOB, Role.DOCTOR, AT),
                new ServerFrame.BreakGlassNotice("grant-1", CONV, BOB, AT, AT.plusSeconds(3600)),
                new ServerFrame.EscalationNotice(CONV, 4),
                new ServerFrame.Ok("r7"),
                new ServerFrame.Pong(null),
                new ServerFrame.Error("r8", ErrorCode.NOT_FOUND, "no such conversation"),
                new ServerFrame.Recalled(CONV, 8, AT),
                new ServerFrame.History("r9", CONV, List.of(new MessageView(MessageId.of("m-3"), CONV, 9, BOB, "",
                        Priority.URGENT, AT, null, List.of(), true)), false));
    }

    static Stream<String> hugeNumbers() {
        return Stream.of("9223372036854775808", "123456789012345678901234567890", "1" + "0".repeat(2000),
                "1e99999999");
    }

    @Nested
    @DisplayName("round trips")
    class RoundTrips {
        @ParameterizedTest
        @MethodSource("io.carechat.messaging.protocol.ProtocolCodecTest#clientFrames")
        @DisplayName("every client frame decodes to what was encoded")
        void clientFrame(ClientFrame frame) {
            assertThat(CODEC.decodeClient(CODEC.encode(frame))).isEqualTo(frame);
        }

        @ParameterizedTest
        @MethodSource("io.carechat.messaging.protocol.ProtocolCodecTest#serverFrames")
        @DisplayName("every server frame decodes to what was encoded")
        void serverFrame(ServerFrame frame) {
            assertThat(CODEC.decodeServer(CODEC.encode(frame))).isEqualTo(frame);
        }

        @ParameterizedTest
        @MethodSource("io.carechat.messaging.protocol.ProtocolCodecTest#serverFrames")
        @DisplayName("every server frame starts with its type")
        void typeFirst(ServerFrame frame) {
            assertThat(CODEC.encode(frame)).startsWith("{\"type\":\"" + frame.type() + "\"");
        }

        @Test
        @DisplayName("the client frame types cover the contract's eleven, and version 1.1's recall")
        void everyClientType() {
            assertThat(clientFrames().map(ClientFrame::type).distinct()).containsExactlyInAnyOrder(
                    "auth", "open", "send", "delivered", "read", "history", "conversations", "contacts", "typing",
                    "presence", "ping", "recall");
        }

        @Test
        @DisplayName("the server frame types cover the contract's fifteen and version 1.1's members and recalled")
        void everyServerType() {
            assertThat(serverFrames().map(ServerFrame::type).distinct()).containsExactlyInAnyOrder(
                    "ready", "message", "sent", "receipt", "unread", "conversation", "history", "conversations",
                    "contacts", "typing", "presence", "notice", "ok", "pong", "error", "members", "recalled");
        }
    }

    @Nested
    @DisplayName("the message object")
    class MessageObject {
        private final io.carechat.messaging.model.Message stored = new io.carechat.messaging.model.Message(MessageId.of("m-1"),
                CONV, 3, ALICE, "secret body", Priority.URGENT, AT, "client-7",
                List.of(new AttachmentRef(AttachmentId.of("a-1"), "x.png", "image/png", 10)));

        @Test
        @DisplayName("has exactly the contract's fields, priority by wire name and sentAt in ISO-8601 UTC")
        void exactFields() {
            String json = CODEC.encode(new ServerFrame.Message(MessageView.of(stored, ALICE)));
            assertThat(json).isEqualTo("{\"type\":\"message\",\"message\":{\"id\":\"m-1\",\"conversationId\":\"conv-1\","
                    + "\"seq\":3,\"senderId\":\"alice\",\"body\":\"secret body\",\"priority\":\"urgent\","
                    + "\"sentAt\":\"2026-11-25T20:16:24.123Z\",\"clientMsgId\":\"client-7\",\"attachments\":"
                    + "[{\"id\":\"a-1\",\"name\":\"x.png\",\"contentType\":\"image/png\",\"size\":10}]}}");
        }

        @Test
        @DisplayName("carries the clientMsgId only in the sender's copy")
        void clientMsgIdOnlyToSender() {
            assertThat(CODEC.encode(new ServerFrame.Message(MessageView.of(stored, ALICE)))).contains("clientMsgId");
            assertThat(CODEC.encode(new ServerFrame.Message(MessageView.of(stored, BOB)))).doesNotContain("clientMsgId");
        }

        @Test
        @DisplayName("never shows the body in toString")
        void noBodyInToString() {
            assertThat(MessageView.of(stored, ALICE).toString()).doesNotContain("secret body");
            assertThat(new ClientFrame.Send("r", CONV, "c", "secret body", Priority.NORMAL, List.of()).toString())
                    .doesNotContain("secret body");
            assertThat(new ClientFrame.Auth("r", "secret-token").toString()).doesNotContain("secret-token");
        }

        @Test
        @DisplayName("a conversation object keeps memberIds and carries members with name, roles and positions")
        void conversationMembers() {
            ConversationView view = new ConversationView(CONV, ConversationKind.DIRECT, List.of(ALICE, BOB),
                    List.of(new ConversationMember(ALICE, "Alice", Set.of(Role.PATIENT), 3, 2),
                            new ConversationMember(BOB, "Dr Bob", Set.of(Role.DOCTOR, Role.ADMIN), 1, 1)),
                    AT, 3, AT, 3, 2, 0);
            assertThat(CODEC.encode(new ServerFrame.Conversations("r1", List.of(view)))).isEqualTo(
                    "{\"type\":\"conversations\",\"ref\":\"r1\",\"conversations\":[{\"id\":\"conv-1\","
                    + "\"kind\":\"direct\",\"memberIds\":[\"alice\",\"bob\"],\"members\":["
                    + "{\"id\":\"alice\",\"displayName\":\"Alice\",\"roles\":[\"PATIENT\"],\"deliveredSeq\":3,\"readSeq\":2,\"joinedSeq\":0},"
                    + "{\"id\":\"bob\",\"displayName\":\"Dr Bob\",\"roles\":[\"ADMIN\",\"DOCTOR\"],\"deliveredSeq\":1,"
                    + "\"readSeq\":1,\"joinedSeq\":0}],\"createdAt\":\"2026-11-25T20:16:24.123Z\",\"lastSeq\":3,"
                    + "\"lastMessageAt\":\"2026-11-25T20:16:24.123Z\",\"deliveredSeq\":3,\"readSeq\":2,\"unread\":0}]}");
        }

        @Test
        @DisplayName("errors are type, ref, code and message")
        void errorShape() {
            assertThat(CODEC.encode(new ServerFrame.Error("r1", ErrorCode.RATE_LIMITED, "slow down")))
                    .isEqualTo("{\"type\":\"error\",\"ref\":\"r1\",\"code\":\"rate_limited\",\"message\":\"slow down\"}");
        }
    }

    @Nested
    @DisplayName("malformed client frames are bad requests")
    class Malformed {
        private FrameException refused(String text) {
            FrameException e = catchThrowableOfType(FrameException.class, () -> CODEC.decodeClient(text));
            assertThat(e).as("refused: %s", text).isNotNull();
            assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
            return e;
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "   ", "not json", "{", "{\"type\":\"ping\"", "{\"type\":\"ping\"} {}",
            "{\"type\":\"ping\"}x", "{'type':'ping'}", "{type:\"ping\"}", "{\"type\":\"ping\",}"})
        @DisplayName("text that is not one JSON value is refused")
        void notJson(String text) {
            refused(text);
        }

        @ParameterizedTest
        @ValueSource(strings = {"[]", "[{\"type\":\"ping\"}]", "\"ping\"", "42", "null", "true"})
        @DisplayName("JSON that is not an object is refused")
        void notObject(String text) {
            assertThat(refused(text).ref()).isNull();
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "{\"ref\":\"r\",\"type\":\"delivered\",\"conversationId\":\"c\",\"seq\":\"5\"}",
            "{\"ref\":\"r\",\"type\":\"delivered\",\"conversationId\":\"c\",\"seq\":5.0}",
            "{\"ref\":\"r\",\"type\":\"delivered\",\"conversationId\":\"c\",\"seq\":5e0}",
            "{\"ref\":\"r\",\"type\":\"delivered\",\"conversationId\":\"c\",\"seq\":true}",
            "{\"ref\":\"r\",\"type\":\"delivered\",\"conversationId\":\"c\",\"seq\":-1}",
            "{\"ref\":\"r\",\"type\":\"delivered\",\"conversationId\":7,\"seq\":5}",
            "{\"ref\":\"r\",\"type\":\"delivered\",\"conversationId\":\"has space\",\"seq\":5}",
            "{\"ref\":\"r\",\"type\":\"delivered\",\"conversationId\":[\"c\"],\"seq\":5}",
            "{\"ref\":\"r\",\"type\":\"send\",\"conversationId\":\"c\",\"clientMsgId\":5,\"body\":\"b\"}",
            "{\"ref\":\"r\",\"type\":\"send\",\"conversationId\":\"c\",\"clientMsgId\":\"\",\"body\":\"b\"}",
            "{\"ref\":\"r\",\"type\":\"send\",\"conversationId\":\"c\",\"clientMsgId\":\"m\",\"body\":{}}",
            "{\"ref\":\"r\",\"type\":\"send\",\"conversationId\":\"c\",\"clientMsgId\":\"m\",\"body\":\"b\",\"priority\":\"high\"}",
            "{\"ref\":\"r\",\"type\":\"send\",\"conversationId\":\"c\",\"clientMsgId\":\"m\",\"body\":\"b\",\"attachments\":\"a\"}",
            "{\"ref\":\"r\",\"type\":\"send\",\"conversationId\":\"c\",\"clientMsgId\":\"m\",\"body\":\"b\",\"attachments\":[1]}",
            "{\"ref\":\"r\",\"type\":\"history\",\"conversationId\":\"c\",\"limit\":0}",
            "{\"ref\":\"r\",\"type\":\"history\",\"conversationId\":\"c\",\"limit\":101}",
            "{\"ref\":\"r\",\"type\":\"history\",\"conversationId\":\"c\",\"limit\":\"10\"}",
            "{\"ref\":\"r\",\"type\":\"history\",\"conversationId\":\"c\",\"beforeSeq\":1.5}",
            "{\"ref\":\"r\",\"type\":\"presence\",\"status\":\"offline\"}",
            "{\"ref\":\"r\",\"type\":\"presence\",\"status\":\"AVAILABLE\"}",
            "{\"ref\":\"r\",\"type\":\"open\",\"with\":null}",
            "{\"ref\":\"r\",\"type\":\"auth\",\"token\":12345}",
            "{\"ref\":\"r\",\"type\":5}"})
        @DisplayName("a field of the wrong JSON type or out of its bounds is refused, echoing the ref")
        void wrongTypes(String text) {
            assertThat(refused(text).ref()).isEqualTo("r");
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "{\"ref\":\"r\",\"type\":\"send\",\"clientMsgId\":\"m\",\"body\":\"b\"}",
            "{\"ref\":\"r\",\"type\":\"send\",\"conversationId\":\"c\",\"body\":\"b\"}",
            "{\"ref\":\"r\",\"type\":\"send\",\"conversationId\":\"c\",\"clientMsgId\":\"m\"}",
            "{\"ref\":\"r\",\"type\":\"delivered\",\"conversationId\":\"c\"}",
            "{\"ref\":\"r\",\"type\":\"read\",\"seq\":1}",
            "{\"ref\":\"r\",\"type\":\"open\"}",
            "{\"ref\":\"r\",\"type\":\"auth\"}",
            "{\"ref\":\"r\",\"type\":\"typing\"}",
            "{\"ref\":\"r\",\"type\":\"presence\"}",
            "{\"ref\":\"r\",\"type\":\"history\"}",
            "{\"ref\":\"r\"}"})
        @DisplayName("a missing required field is refused, echoing the ref")
        void missingFields(String text) {
            assertThat(refused(text).ref()).isEqualTo("r");
        }

        @ParameterizedTest
        @ValueSource(strings = {"subscribe", "PING", "", "ready", "error"})
        @DisplayName("an unknown type is refused, echoing the ref")
        void unknownType(String type) {
            assertThat(refused("{\"ref\":\"r\",\"type\":\"" + type + "\"}").ref()).isEqualTo("r");
        }

        @Test
        @DisplayName("nesting deeper than the bound is refused, echoing a ref read before it")
        void deepNesting() {
            String deep = "[".repeat(50) + "]".repeat(50);
            assertThat(refused("{\"ref\":\"r\",\"type\":\"ping\",\"extra\":" + deep + "}").ref()).isEqualTo("r");
        }

        @Test
        @DisplayName("nesting within the bound in an unused field is ignored")
        void shallowExtraIgnored() {
            assertThat(CODEC.decodeClient("{\"type\":\"ping\",\"ref\":\"r\",\"extra\":[[1]],\"more\":{\"a\":1}}"))
                    .isEqualTo(new ClientFrame.Ping("r"));
        }

        @ParameterizedTest
        @MethodSource("io.carechat.messaging.protocol.ProtocolCodecTest#hugeNumbers")
        @DisplayName("a number too large for a seq is refused, echoing the ref")
        void hugeNumbers(String number) {
            assertThat(refused("{\"ref\":\"r\",\"type\":\"read\",\"conversationId\":\"c\",\"seq\":" + number + "}").ref())
                    .isEqualTo("r");
        }

        @Test
        @DisplayName("the largest long is a valid seq")
        void largestLong() {
            assertThat(CODEC.decodeClient("{\"type\":\"read\",\"conversationId\":\"c\",\"seq\":9223372036854775807}"))
                    .isEqualTo(new ClientFrame.Read(null, ConversationId.of("c"), Long.MAX_VALUE));
        }

        @Test
        @DisplayName("strings longer than their bound are refused, echoing the ref")
        void overlongStrings() {
            String send = "{\"ref\":\"r\",\"type\":\"send\",\"conversationId\":\"c\",\"clientMsgId\":\"%s\",\"body\":\"%s\"}";
            assertThat(refused(String.format(send, "m".repeat(65), "b")).ref()).isEqualTo("r");
            assertThat(refused(String.format(send, "m", "b".repeat(8001))).ref()).isEqualTo("r");
            assertThat(refused("{\"ref\":\"r\",\"type\":\"auth\",\"token\":\"" + "t".repeat(8193) + "\"}").ref())
                    .isEqualTo("r");
            assertThat(refused("{\"ref\":\"r\",\"type\":\"open\",\"with\":\"" + "u".repeat(256) + "\"}").ref())
                    .isEqualTo("r");
        }

        @Test
        @DisplayName("a body is bounded in code points, so 8,000 emoji are within the default bound")
        void bodyCountsCodePoints() {
            String emoji = "\ud83d\ude00".repeat(8000);
            ClientFrame frame = CODEC.decodeClient(
                    "{\"type\":\"send\",\"conversationId\":\"c\",\"clientMsgId\":\"m\",\"body\":\"" + emoji + "\"}");
            assertThat(((ClientFrame.Send) frame).body()).isEqualTo(emoji);
            refused("{\"type\":\"send\",\"conversationId\":\"c\",\"clientMsgId\":\"m\",\"body\":\"" + emoji + "x\"}");
        }

        @Test
        @DisplayName("more attachments than the bound are refused")
        void tooManyAttachments() {
            String ids = String.join(",", Stream.generate(() -> "\"a\"").limit(11).toList());
            assertThat(refused("{\"ref\":\"r\",\"type\":\"send\",\"conversationId\":\"c\",\"clientMsgId\":\"m\","
                    + "\"body\":\"b\",\"attachments\":[" + ids + "]}").ref()).isEqualTo("r");
        }

        @Test
        @DisplayName("a frame longer than the frame bound is refused before parsing")
        void overlongFrame() {
            ProtocolCodec small = new ProtocolCodec(ProtocolLimits.defaults().withMaxFrameChars(100));
            FrameException e = catchThrowableOfType(FrameException.class,
                    () -> small.decodeClient("{\"ref\":\"r\",\"type\":\"ping\",\"pad\":\"" + "x".repeat(100) + "\"}"));
            assertThat(e).isNotNull();
            assertThat(e.ref()).isNull();
        }

        @ParameterizedTest
        @ValueSource(strings = {"{\"ref\":\"r\",\"type\":\"ping\",\"type\":\"contacts\"}",
            "{\"ref\":\"r\",\"type\":\"read\",\"conversationId\":\"c\",\"seq\":1,\"seq\":2}"})
        @DisplayName("a key given twice is refused, echoing the ref")
        void duplicateKeys(String text) {
            assertThat(refused(text).ref()).isEqualTo("r");
        }

        @Test
        @DisplayName("a ref that is not a string of at most 64 characters is refused and not echoed")
        void badRef() {
            assertThat(refused("{\"ref\":5,\"type\":\"ping\"}").ref()).isNull();
            assertThat(refused("{\"ref\":\"" + "r".repeat(65) + "\",\"type\":\"ping\"}").ref()).isNull();
        }

        @Test
        @DisplayName("the ref is echoed from text that breaks off after it")
        void refFromBrokenText() {
            assertThat(refused("{\"type\":\"send\",\"ref\":\"abc\",\"body\":\"unterminated").ref()).isEqualTo("abc");
        }

        @Test
        @DisplayName("no error message repeats a value from the frame")
        void messagesNameNoValue() {
            FrameException e = refused("{\"ref\":\"r\",\"type\":\"send\",\"conversationId\":\"c\",\"clientMsgId\":\"m\","
                    + "\"body\":\"secret-text\",\"priority\":\"secret-priority\"}");
            assertThat(e.getMessage()).doesNotContain("secret");
            assertThat(refused("{\"type\":\"secret-type\"}").getMessage()).doesNotContain("secret");
            assertThat(refused("{secret-not-json").getMessage()).doesNotContain("secret");
        }

        @Test
        @DisplayName("a JSON null in an optional field reads as absent")
        void nullOptional() {
            assertThat(CODEC.decodeClient("{\"type\":\"history\",\"ref\":null,\"conversationId\":\"c\","
                    + "\"beforeSeq\":null,\"limit\":null}"))
                    .isEqualTo(new ClientFrame.History(null, ConversationId.of("c"), null, null));
        }
    }

    @Test
    @DisplayName("limits refuse non-positive bounds")
    void limitsChecked() {
        assertThatThrownBy(() -> ProtocolLimits.defaults().withMaxFrameChars(0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
