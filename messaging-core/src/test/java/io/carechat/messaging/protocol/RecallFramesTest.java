package io.carechat.messaging.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.carechat.messaging.model.AttachmentId;
import io.carechat.messaging.model.AttachmentRef;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.MessageId;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.model.UserId;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("recall frames and recalled messages on the wire")
class RecallFramesTest {
    private static final ProtocolCodec CODEC = ProtocolCodec.withDefaults();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ConversationId CONV = ConversationId.of("conv-1");
    private static final UserId ALICE = UserId.of("alice");
    private static final Instant AT = Instant.parse("2026-03-02T09:00:00Z");

    @Test
    @DisplayName("a recalled message is written with recalled: true, no body and no attachments, and keeps its seq")
    void tombstoneOnTheWire() throws Exception {
        Message original = new Message(MessageId.of("m-1"), CONV, 4, ALICE, "CANARY", Priority.URGENT, AT, "c-1",
                List.of(new AttachmentRef(AttachmentId.of("a-1"), "scan.pdf", "application/pdf", 10)));
        Message tombstone = original.tombstone(AT.plusSeconds(5));
        JsonNode json = JSON.readTree(CODEC.encode(new ServerFrame.Message(MessageView.of(tombstone, ALICE))));
        JsonNode message = json.get("message");
        assertThat(message.get("recalled").booleanValue()).isTrue();
        assertThat(message.has("body")).isFalse();
        assertThat(message.get("attachments")).isEmpty();
        assertThat(message.get("seq").longValue()).isEqualTo(4);
        assertThat(json.toString()).doesNotContain("CANARY").doesNotContain("scan.pdf");
        JsonNode plain = JSON.readTree(CODEC.encode(new ServerFrame.Message(MessageView.of(original, ALICE))));
        assertThat(plain.get("message").has("recalled")).isFalse();
    }

    @Test
    @DisplayName("the recalled push carries conversationId, seq and recalledAt")
    void recalledPush() throws Exception {
        JsonNode json = JSON.readTree(CODEC.encode(new ServerFrame.Recalled(CONV, 4, AT)));
        assertThat(json.get("type").asText()).isEqualTo("recalled");
        assertThat(json.get("conversationId").asText()).isEqualTo("conv-1");
        assertThat(json.get("seq").longValue()).isEqualTo(4);
        assertThat(json.get("recalledAt").asText()).isEqualTo("2026-03-02T09:00:00Z");
    }

    @Test
    @DisplayName("a recall frame needs conversationId, a seq of at least 1 and a reason within the body limit")
    void recallFrameChecked() {
        assertThat(CODEC.decodeClient("{\"type\":\"recall\",\"ref\":\"r\",\"conversationId\":\"conv-1\",\"seq\":2,"
                + "\"reason\":\"wrong chart\"}")).isEqualTo(new ClientFrame.Recall("r", CONV, 2, "wrong chart"));
        assertThatThrownBy(() -> CODEC.decodeClient("{\"type\":\"recall\",\"conversationId\":\"conv-1\",\"seq\":0,"
                + "\"reason\":\"x\"}")).isInstanceOf(FrameException.class).hasMessageContaining("seq");
        assertThatThrownBy(() -> CODEC.decodeClient("{\"type\":\"recall\",\"conversationId\":\"conv-1\",\"seq\":1}"))
                .isInstanceOf(FrameException.class).hasMessageContaining("reason");
        String tooLong = "x".repeat(CODEC.limits().maxBodyChars() + 1);
        assertThatThrownBy(() -> CODEC.decodeClient("{\"type\":\"recall\",\"conversationId\":\"conv-1\",\"seq\":1,"
                + "\"reason\":\"" + tooLong + "\"}")).isInstanceOf(FrameException.class);
        assertThat(new ClientFrame.Recall("r", CONV, 2, "CANARY").toString()).doesNotContain("CANARY");
    }
}
