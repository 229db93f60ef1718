package io.carechat.messaging.websocket;

import static io.carechat.messaging.websocket.ChatServer.ANN;
import static io.carechat.messaging.websocket.ChatServer.DOCTOR;
import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.tck.transport.RawWebSocket;
import io.carechat.messaging.model.MessagingLimits;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Random and mutated frames over a real socket never close it, and every request is answered")
class FrameFuzzOverSocketTest {
    private static final int FRAMES = 150;
    private final ChatServer chat = new ChatServer(io.carechat.messaging.hub.HubSettings.builder()
            .timerInterval(java.time.Duration.ofMillis(50)).build(), MessagingLimits.builder().sendRate(10_000, 10_000)
            .typingRate(10_000, 10_000).presenceRate(10_000, 10_000).historyRate(10_000, 10_000).build());

    @AfterEach
    void stop() {
        chat.close();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    @DisplayName("each frame is followed by a ping whose pong must come, on a socket that stays open")
    void fuzz(long seed) throws IOException {
        Conversation conversation = chat.messaging.openDirect(chat.caller(DOCTOR), ANN);
        String id = conversation.id().value();
        List<String> valid = List.of(
                "{\"type\":\"ping\",\"ref\":\"v\"}",
                "{\"type\":\"conversations\",\"ref\":\"v\"}",
                "{\"type\":\"contacts\",\"ref\":\"v\"}",
                "{\"type\":\"history\",\"ref\":\"v\",\"conversationId\":\"" + id + "\",\"limit\":5}",
                "{\"type\":\"read\",\"ref\":\"v\",\"conversationId\":\"" + id + "\",\"seq\":1}",
                "{\"type\":\"typing\",\"ref\":\"v\",\"conversationId\":\"" + id + "\"}",
                "{\"type\":\"presence\",\"ref\":\"v\",\"status\":\"busy\"}",
                "{\"type\":\"send\",\"ref\":\"v\",\"conversationId\":\"" + id + "\",\"clientMsgId\":\"c\",\"body\":\"hi\"}",
                "{\"type\":\"open\",\"ref\":\"v\",\"with\":\"pat-ann\"}");
        Random random = new Random(seed);
        try (RawWebSocket raw = RawWebSocket.upgrade(chat.port(), "/ws", Map.of("Authorization", "Bearer " + chat.token(DOCTOR)))) {
            assertThat(raw.readText()).startsWith("{\"type\":\"ready\"");
            for (int i = 0; i < FRAMES; i++) {
                String base = valid.get(random.nextInt(valid.size()));
                boolean wellFormed = random.nextInt(3) == 0;
                String frame = wellFormed ? base.replace("\"v\"", "\"w" + i + "\"") : mutate(base, random);
                raw.sendText(frame);
                raw.sendText("{\"type\":\"ping\",\"ref\":\"sentinel-" + i + "\"}");
                boolean answered = false;
                while (true) {
                    String reply = readText(raw, frame);
                    if (reply.contains("\"ref\":\"w" + i + "\"")) {
                        answered = true;
                    }
                    if (reply.equals("{\"type\":\"pong\",\"ref\":\"sentinel-" + i + "\"}")) {
                        break;
                    }
                }
                if (wellFormed) {
                    assertThat(answered).as("well-formed frame %s was answered", frame).isTrue();
                }
            }
            assertThat(chat.hub.isOnline(DOCTOR)).as("no frame closed the session").isTrue();
        }
    }

    private static String readText(RawWebSocket raw, String after) throws IOException {
        try {
            return raw.readText();
        } catch (IOException e) {
            throw new IOException("no answer after the frame " + after, e);
        }
    }

    private static String mutate(String base, Random random) {
        StringBuilder text = new StringBuilder(base);
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits && text.length() > 0; e++) {
            int at = random.nextInt(text.length());
            switch (random.nextInt(6)) {
                case 0 -> text.deleteCharAt(at);
                case 1 -> text.insert(at, "{[\"\\:,9e99999}".charAt(random.nextInt(14)));
                case 2 -> text.setCharAt(at, (char) (32 + random.nextInt(95)));
                case 3 -> text.insert(at, "[".repeat(40));
                case 4 -> text.insert(at, "99999999999999999999999999");
                default -> text.insert(at, "\u00e9\u2603\ud83d\ude00");
            }
        }
        return text.toString();
    }
}
