package io.carechat.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.carechat.messaging.tck.transport.RawWebSocket;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
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
 * Break-glass access and the patient's access log against the running demo jar, over HTTP and
 * WebSocket. Grants last {@value #GRANT_SECONDS} seconds here, through the test-only
 * {@code CARECHAT_BREAK_GLASS_SECONDS}, so their end is seen without waiting an hour.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BreakGlassIT {
    private static final int GRANT_SECONDS = 15;
    private static final String ADMIN_PASSWORD = "integration-root-passphrase";
    private static final String REASON = "Patient brought in unconscious, need recent history";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path workDir;

    static DemoProcess server;
    static Http http;
    static String conversationId;

    @BeforeAll
    static void start() throws Exception {
        server = DemoProcess.start(workDir, Map.of("CARECHAT_ADMIN_PASSWORD", ADMIN_PASSWORD,
                "CARECHAT_BREAK_GLASS_SECONDS", Integer.toString(GRANT_SECONDS),
                "CARECHAT_ACCESS_LOG_MAX_LIMIT", "20"));
        http = new Http(server.baseUrl());
        String alex = http.login("alex", Seeding.DEMO_PASSWORD);
        String grey = http.login("dr.grey", Seeding.DEMO_PASSWORD);
        Http.Answer opened = http.post("/api/conversations", alex, Http.json(Map.of("with", http.userId(grey))));
        conversationId = opened.body().path("conversation").path("id").asText();
        assertThat(http.post(messages(), alex, Http.json(Map.of("clientMsgId", "a-1", "body", "My chest hurts")))
                .status()).isEqualTo(201);
        assertThat(http.get(messages(), grey).status()).isEqualTo(200);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    @DisplayName("break-glass refuses patients and admins (403), a member (409), a short or missing reason (400)"
            + " and an unknown conversation (404); without a grant a non-member gets 404")
    void refusals() {
        String alex = http.login("alex", Seeding.DEMO_PASSWORD);
        String admin = http.login("admin", ADMIN_PASSWORD);
        String grey = http.login("dr.grey", Seeding.DEMO_PASSWORD);
        String bailey = http.login("dr.bailey", Seeding.DEMO_PASSWORD);

        assertError(http.post(breakGlass(), alex, Http.json(Map.of("reason", REASON))), 403, "forbidden");
        assertError(http.post(breakGlass(), admin, Http.json(Map.of("reason", REASON))), 403, "forbidden");
        assertError(http.post(breakGlass(), grey, Http.json(Map.of("reason", REASON))), 409, "conflict");
        assertError(http.post(breakGlass(), bailey, Http.json(Map.of("reason", "urgent"))), 400, "bad_request");
        assertError(http.post(breakGlass(), bailey, Http.json(Map.of())), 400, "bad_request");
        assertError(http.post("/api/conversations/no-such-conversation/break-glass", bailey,
                Http.json(Map.of("reason", REASON))), 404, "not_found");

        assertError(http.get(messages(), bailey), 404, "not_found");
        assertError(http.post(messages(), bailey, Http.json(Map.of("clientMsgId", "b-0", "body", "hello"))), 404,
                "not_found");
        assertError(http.get(breakGlass(), bailey), 404, "not_found");
    }

    @Test
    @Order(2)
    @DisplayName("a doctor's grant lets them read, reply and get the conversation's messages live; admins get a"
            + " break_glass notice and review the reason; when it expires history and send answer 404 again")
    void grantUntilExpiry() throws Exception {
        String alex = http.login("alex", Seeding.DEMO_PASSWORD);
        String admin = http.login("admin", ADMIN_PASSWORD);
        String bailey = http.login("dr.bailey", Seeding.DEMO_PASSWORD);
        String baileyId = http.userId(bailey);
        try (RawWebSocket adminSocket = socket(admin); RawWebSocket baileySocket = socket(bailey)) {
            Http.Answer granted = http.post(breakGlass(), bailey, Http.json(Map.of("reason", REASON)));
            assertThat(granted.status()).isEqualTo(201);
            JsonNode grant = granted.body().path("grant");
            assertThat(grant.path("userId").asText()).isEqualTo(baileyId);
            assertThat(grant.path("reason").asText()).isEqualTo(REASON);
            assertThat(Duration.between(Instant.parse(grant.path("grantedAt").asText()),
                    Instant.parse(grant.path("expiresAt").asText()))).isEqualTo(Duration.ofSeconds(GRANT_SECONDS));
            assertThat(granted.body().path("members")).extracting(m -> m.path("displayName").asText())
                    .containsExactlyInAnyOrder("Alex Patient", "Dr Meredith Grey");

            JsonNode notice = awaitFrame(adminSocket, f -> "notice".equals(f.path("type").asText()));
            assertThat(notice.path("kind").asText()).isEqualTo("break_glass");
            assertThat(notice.path("conversationId").asText()).isEqualTo(conversationId);
            assertThat(notice.path("userId").asText()).isEqualTo(baileyId);
            assertThat(notice.toString()).doesNotContain("unconscious");

            assertThat(http.get(breakGlass(), bailey).body().path("grant").path("id").asText())
                    .isEqualTo(grant.path("id").asText());
            Http.Answer reviewed = http.get("/api/admin/break-glass/" + grant.path("id").asText(), admin);
            assertThat(reviewed.status()).isEqualTo(200);
            assertThat(reviewed.body().path("grant").path("reason").asText()).isEqualTo(REASON);
            assertError(http.get("/api/admin/break-glass/" + grant.path("id").asText(), bailey), 403, "forbidden");
            assertError(http.get("/api/admin/break-glass/no-such-grant", admin), 404, "not_found");
            Http.Answer history = http.get(messages(), bailey);
            assertThat(history.status()).isEqualTo(200);
            assertThat(history.body().path("messages").get(0).path("body").asText()).isEqualTo("My chest hurts");
            assertThat(http.post(messages(), bailey, Http.json(Map.of("clientMsgId", "b-1", "body",
                    "Dr Bailey here, on my way"))).status()).isEqualTo(201);

            assertThat(http.post(messages(), alex, Http.json(Map.of("clientMsgId", "a-2", "body", "Thank you")))
                    .status()).isEqualTo(201);
            JsonNode live = awaitFrame(baileySocket, f -> "message".equals(f.path("type").asText())
                    && "Thank you".equals(f.path("message").path("body").asText()));
            assertThat(live.path("message").path("conversationId").asText()).isEqualTo(conversationId);
        }

        awaitStatus(() -> http.get(messages(), bailey), 404);
        assertError(http.get(messages(), bailey), 404, "not_found");
        assertError(http.post(messages(), bailey, Http.json(Map.of("clientMsgId", "b-2", "body", "still here?"))),
                404, "not_found");
        assertError(http.get(breakGlass(), bailey), 404, "not_found");
    }

    @Test
    @Order(3)
    @DisplayName("the patient's access log lists who joined and read, newest first, with names, roles and grounds,"
            + " pages by limit and cursor, and is for patients only")
    void accessLog() {
        String alex = http.login("alex", Seeding.DEMO_PASSWORD);
        String grey = http.login("dr.grey", Seeding.DEMO_PASSWORD);

        List<JsonNode> entries = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Http.Answer page = http.get("/api/me/access-log?limit=2" + (cursor == null ? "" : "&before=" + cursor), alex);
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.body().path("entries").size()).isBetween(1, 2);
            page.body().path("entries").forEach(entries::add);
            JsonNode next = page.body().path("nextBefore");
            cursor = next.isNull() || next.isMissingNode() ? null : next.asText();
            pages++;
        } while (cursor != null);

        assertThat(pages).isGreaterThan(1);
        assertThat(entries).extracting(e -> e.path("sequence").asLong())
                .isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(entries).anySatisfy(e -> {
            assertThat(e.path("displayName").asText()).isEqualTo("Dr Miranda Bailey");
            assertThat(e.path("access").asText()).isEqualTo("joined");
            assertThat(e.path("ground").asText()).isEqualTo("break_glass");
            assertThat(e.path("roles").get(0).asText()).isEqualTo("DOCTOR");
            assertThat(e.path("conversationId").asText()).isEqualTo(conversationId);
        });
        assertThat(entries).anySatisfy(e -> {
            assertThat(e.path("displayName").asText()).isEqualTo("Dr Miranda Bailey");
            assertThat(e.path("access").asText()).isEqualTo("read");
            assertThat(e.path("ground").asText()).isEqualTo("break_glass");
        });
        assertThat(entries).anySatisfy(e -> {
            assertThat(e.path("displayName").asText()).isEqualTo("Dr Meredith Grey");
            assertThat(e.path("access").asText()).isEqualTo("read");
            assertThat(e.path("ground").asText()).isEqualTo("member");
        });
        assertThat(entries).noneSatisfy(e -> assertThat(e.path("displayName").asText()).isEqualTo("Alex Patient"));
        assertThat(entries.toString()).doesNotContain("chest").doesNotContain("unconscious");

        assertError(http.get("/api/me/access-log", grey), 403, "forbidden");
        assertError(http.get("/api/me/access-log?limit=21", alex), 400, "bad_request");
        assertError(http.get("/api/me/access-log?limit=0", alex), 400, "bad_request");
    }

    private static String messages() {
        return "/api/conversations/" + conversationId + "/messages";
    }

    private static String breakGlass() {
        return "/api/conversations/" + conversationId + "/break-glass";
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

    /** Polls until the call answers the status: the grant's end, judged by the server's clock. */
    private static void awaitStatus(java.util.function.Supplier<Http.Answer> call, int status) throws InterruptedException {
        Instant giveUp = Instant.now().plusSeconds(GRANT_SECONDS * 6L);
        while (call.get().status() != status) {
            if (Instant.now().isAfter(giveUp)) {
                throw new AssertionError("the call never answered " + status);
            }
            Thread.sleep(500);
        }
    }

    private static void assertError(Http.Answer answer, int status, String code) {
        assertThat(answer.status()).as("status").isEqualTo(status);
        assertThat(answer.errorCode()).as("error code").isEqualTo(code);
        assertThat(answer.body().path("error").path("message").asText()).isNotBlank().doesNotContain("Exception");
    }
}
