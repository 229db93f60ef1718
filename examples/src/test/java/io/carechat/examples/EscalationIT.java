package io.carechat.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.carechat.messaging.tck.transport.RawWebSocket;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Urgent escalation to the on-call roster against the running demo jar, over HTTP and WebSocket.
 * An urgent message escalates after {@value #ESCALATION_SECONDS} seconds unread here
 * ({@code CARECHAT_ESCALATION_SECONDS}), scanned every second, so it is seen without waiting ten
 * minutes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EscalationIT {
    private static final int ESCALATION_SECONDS = 2;
    private static final String ADMIN_PASSWORD = "integration-root-passphrase";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path workDir;

    static DemoProcess server;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        server = DemoProcess.start(workDir, Map.of("CARECHAT_ADMIN_PASSWORD", ADMIN_PASSWORD,
                "CARECHAT_ESCALATION_SECONDS", Integer.toString(ESCALATION_SECONDS),
                "CARECHAT_ESCALATION_SCAN_SECONDS", "1"));
        http = new Http(server.baseUrl());
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    @DisplayName("the roster is for admins only (403); patients, unknown users, repeats and malformed bodies are"
            + " bad requests (400); nobody is on call at first")
    void rosterRefusals() {
        String admin = http.login("admin", ADMIN_PASSWORD);
        String grey = http.login("dr.grey", Seeding.DEMO_PASSWORD);
        String alex = http.login("alex", Seeding.DEMO_PASSWORD);
        String greyId = http.userId(grey);

        Http.Answer empty = http.get("/api/admin/on-call", admin);
        assertThat(empty.status()).isEqualTo(200);
        assertThat(empty.body().path("userIds")).isEmpty();

        assertError(http.get("/api/admin/on-call", alex), 403, "forbidden");
        assertError(http.put("/api/admin/on-call", grey, roster(greyId)), 403, "forbidden");
        assertError(http.put("/api/admin/on-call", admin, roster(http.userId(alex))), 400, "bad_request");
        assertError(http.put("/api/admin/on-call", admin, roster("no-such-user")), 400, "bad_request");
        assertError(http.put("/api/admin/on-call", admin, roster(greyId, greyId)), 400, "bad_request");
        assertError(http.put("/api/admin/on-call", admin, Http.json(Map.of("userIds", greyId))), 400, "bad_request");
        assertError(http.put("/api/admin/on-call", admin, Http.json(Map.of())), 400, "bad_request");
        assertThat(http.get("/api/admin/on-call", admin).body().path("userIds")).isEmpty();
    }

    @Test
    @Order(2)
    @DisplayName("a patient's urgent message nobody read reaches the on-call doctor's socket as an escalation notice;"
            + " the doctor then reads the history, the message is marked, and the patient's access log says why")
    void escalatesToOnCallDoctor() throws Exception {
        String admin = http.login("admin", ADMIN_PASSWORD);
        String alex = http.login("alex", Seeding.DEMO_PASSWORD);
        String grey = http.login("dr.grey", Seeding.DEMO_PASSWORD);
        String bailey = http.login("dr.bailey", Seeding.DEMO_PASSWORD);
        String baileyId = http.userId(bailey);
        Http.Answer set = http.put("/api/admin/on-call", admin, roster(baileyId));
        assertThat(set.status()).isEqualTo(200);
        assertThat(set.body().path("doctors").get(0).path("displayName").asText()).isEqualTo("Dr Miranda Bailey");
        assertThat(http.get("/api/admin/on-call", admin).body().path("userIds").get(0).asText()).isEqualTo(baileyId);
        String conversationId = open(alex, grey);

        try (RawWebSocket baileySocket = socket(bailey)) {
            assertError(http.get(messages(conversationId), bailey), 404, "not_found");
            long seq = sendUrgent(alex, conversationId, "a-1", "I cannot breathe properly");

            JsonNode notice = awaitFrame(baileySocket, f -> "notice".equals(f.path("type").asText()));
            assertThat(notice.path("kind").asText()).isEqualTo("escalation");
            assertThat(notice.path("conversationId").asText()).isEqualTo(conversationId);
            assertThat(notice.path("seq").asLong()).isEqualTo(seq);
            assertThat(notice.toString()).doesNotContain("breathe").doesNotContain("Alex");

            Http.Answer history = http.get(messages(conversationId), bailey);
            assertThat(history.status()).isEqualTo(200);
            assertThat(history.body().path("messages")).extracting(m -> m.path("body").asText())
                    .contains("I cannot breathe properly");
            assertThat(http.get(escalations(conversationId), alex).body().path("seqs"))
                    .extracting(JsonNode::asLong).containsExactly(seq);
        }

        List<JsonNode> log = new ArrayList<>();
        http.get("/api/me/access-log", alex).body().path("entries").forEach(log::add);
        assertThat(log).anySatisfy(e -> {
            assertThat(e.path("displayName").asText()).isEqualTo("Dr Miranda Bailey");
            assertThat(e.path("access").asText()).isEqualTo("joined");
            assertThat(e.path("ground").asText()).isEqualTo("escalation");
            assertThat(e.path("conversationId").asText()).isEqualTo(conversationId);
        });
        assertError(http.get(escalations(conversationId), http.login("sam", Seeding.DEMO_PASSWORD)), 404,
                "not_found");
    }

    @Test
    @Order(3)
    @DisplayName("an urgent message a doctor member read in time does not escalate; a later unread one does")
    void readInTimeDoesNotEscalate() throws Exception {
        String sam = http.login("sam", Seeding.DEMO_PASSWORD);
        String grey = http.login("dr.grey", Seeding.DEMO_PASSWORD);
        String bailey = http.login("dr.bailey", Seeding.DEMO_PASSWORD);
        String conversationId = open(sam, grey);

        long read = sendUrgent(sam, conversationId, "s-1", "Is this rash serious?");
        assertThat(http.post("/api/conversations/" + conversationId + "/read", grey,
                Http.json(Map.of("seq", read))).status()).isBetween(200, 204);
        long unread = sendUrgent(sam, conversationId, "s-2", "It is spreading");

        Instant giveUp = Instant.now().plusSeconds(ESCALATION_SECONDS * 15L);
        while (!http.get(escalations(conversationId), sam).body().path("seqs").toString().contains(Long.toString(unread))) {
            if (Instant.now().isAfter(giveUp)) {
                throw new AssertionError("the unread urgent message never escalated");
            }
            Thread.sleep(250);
        }
        assertThat(http.get(escalations(conversationId), sam).body().path("seqs")).extracting(JsonNode::asLong)
                .containsExactly(unread);
        assertThat(http.get(messages(conversationId), bailey).status()).isEqualTo(200);
    }

    private static String roster(String... userIds) {
        return Http.json(Map.of("userIds", List.of(userIds)));
    }

    private static String open(String patient, String doctor) {
        Http.Answer opened = http.post("/api/conversations", patient, Http.json(Map.of("with", http.userId(doctor))));
        return opened.body().path("conversation").path("id").asText();
    }

    private static long sendUrgent(String token, String conversationId, String clientMsgId, String body) {
        Http.Answer sent = http.post(messages(conversationId), token, Http.json(Map.of("clientMsgId", clientMsgId,
                "body", body, "priority", "urgent")));
        assertThat(sent.status()).isEqualTo(201);
        return sent.body().path("message").path("seq").asLong();
    }

    private static String messages(String conversationId) {
        return "/api/conversations/" + conversationId + "/messages";
    }

    private static String escalations(String conversationId) {
        return "/api/conversations/" + conversationId + "/escalations";
    }

    private static RawWebSocket socket(String token) throws IOException {
        RawWebSocket socket = RawWebSocket.upgrade(server.wsPort, "/ws", Map.of("Authorization", "Bearer " + token));
        awaitFrame(socket, f -> "ready".equals(f.path("type").asText()));
        return socket;
    }

    /** Reads frames until one matches; each read waits at most the socket's read timeout. */
    private static JsonNode awaitFrame(RawWebSocket socket, Predicate<JsonNode> wanted) throws IOException {
        for (int i = 0; i < 200; i++) {
            JsonNode frame = JSON.readTree(socket.readText());
            if (wanted.test(frame)) {
                return frame;
            }
        }
        throw new AssertionError("no matching frame among 200");
    }

    private static void assertError(Http.Answer answer, int status, String code) {
        assertThat(answer.status()).as("status").isEqualTo(status);
        assertThat(answer.errorCode()).as("error code").isEqualTo(code);
        assertThat(answer.body().path("error").path("message").asText()).isNotBlank().doesNotContain("Exception");
    }
}
