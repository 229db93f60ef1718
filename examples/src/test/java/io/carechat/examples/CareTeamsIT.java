package io.carechat.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.carechat.messaging.tck.transport.RawWebSocket;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Care teams on the running demo jar: {@code POST /api/conversations} with a title and members,
 * {@code POST} and {@code DELETE /api/conversations/{id}/members}, the {@code open} frame for a
 * group and the {@code members} frame, with the contract's status codes and error bodies.
 */
class CareTeamsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path workDir;

    static DemoProcess server;
    static Http http;
    static String grey;
    static String bailey;
    static String sam;
    static String alex;
    static String greyId;
    static String baileyId;
    static String samId;
    static String alexId;

    @BeforeAll
    static void start() throws Exception {
        server = DemoProcess.start(workDir, Map.of("CARECHAT_ADMIN_PASSWORD", "integration-root-passphrase",
                "CARECHAT_MAX_CARE_TEAM_MEMBERS", "3"));
        http = new Http(server.baseUrl());
        grey = http.login("dr.grey", Seeding.DEMO_PASSWORD);
        bailey = http.login("dr.bailey", Seeding.DEMO_PASSWORD);
        sam = http.login("sam", Seeding.DEMO_PASSWORD);
        alex = http.login("alex", Seeding.DEMO_PASSWORD);
        greyId = http.userId(grey);
        baileyId = http.userId(bailey);
        samId = http.userId(sam);
        alexId = http.userId(alex);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @DisplayName("a doctor creates a care team over HTTP: 201, kind group, title, members with roles and joinedSeq 0")
    void createOverHttp() {
        Http.Answer created = createTeam(grey, "Ward 7", List.of(samId, baileyId));
        assertThat(created.status()).isEqualTo(201);
        JsonNode conversation = created.body().path("conversation");
        assertThat(conversation.path("kind").asText()).isEqualTo("group");
        assertThat(conversation.path("title").asText()).isEqualTo("Ward 7");
        assertThat(ids(conversation.path("members"))).containsExactly(greyId, samId, baileyId);
        for (JsonNode member : conversation.path("members")) {
            assertThat(member.path("joinedSeq").asLong()).isZero();
            assertThat(member.path("roles")).isNotEmpty();
        }
        Http.Answer listed = http.get("/api/conversations", bailey);
        assertThat(listed.body().path("conversations").findValuesAsText("title")).contains("Ward 7");
    }

    @Test
    @DisplayName("a patient gets 403 forbidden; a bad title, too few or too many members get 400 bad_request")
    void refusals() {
        assertError(createTeam(sam, "Mine", List.of(greyId, baileyId)), 403, "forbidden");
        assertError(createTeam(grey, "", List.of(samId, baileyId)), 400, "bad_request");
        assertError(createTeam(grey, "x".repeat(101), List.of(samId, baileyId)), 400, "bad_request");
        assertError(createTeam(grey, "Too few", List.of(samId)), 400, "bad_request");
        String extra = http.post("/api/auth/register", null, Http.json(Map.of("username", "pat.extra",
                "email", "pat.extra@example.org", "password", "a long patient passphrase",
                "displayName", "Pat Extra"))).body().path("user").path("id").asText();
        assertError(createTeam(grey, "Too many", List.of(samId, baileyId, alexId, extra)), 400, "bad_request");
        assertError(http.post("/api/conversations", grey,
                Http.json(Map.of("title", "No list", "members", "nope"))), 400, "bad_request");
    }

    @Test
    @DisplayName("adding and removing members: members frames to every socket, joinedSeq history, a removed member cut off at once")
    void membersOverHttpAndSockets() throws Exception {
        String teamId = createTeam(grey, "Oncology", List.of(samId, baileyId)).body().path("conversation")
                .path("id").asText();
        send(grey, teamId, "t-1", "before alex joins");
        try (RawWebSocket greySocket = socket(grey); RawWebSocket baileySocket = socket(bailey);
                RawWebSocket samSocket = socket(sam); RawWebSocket alexSocket = socket(alex)) {

            assertError(http.post("/api/conversations/" + teamId + "/members", sam,
                    Http.json(Map.of("userId", alexId))), 403, "forbidden");
            assertError(http.post("/api/conversations/" + teamId + "/members", alex,
                    Http.json(Map.of("userId", alexId))), 404, "not_found");
            Http.Answer added = http.post("/api/conversations/" + teamId + "/members", bailey,
                    Http.json(Map.of("userId", alexId)));
            assertThat(added.status()).isEqualTo(201);
            assertThat(ids(added.body().path("members"))).containsExactly(greyId, samId, baileyId, alexId);
            assertThat(added.body().path("members").get(3).path("joinedSeq").asLong()).isEqualTo(1);
            assertError(http.post("/api/conversations/" + teamId + "/members", bailey,
                    Http.json(Map.of("userId", alexId))), 409, "conflict");

            for (RawWebSocket s : List.of(greySocket, baileySocket, samSocket, alexSocket)) {
                JsonNode members = awaitType(s, "members");
                assertThat(members.path("conversationId").asText()).isEqualTo(teamId);
                assertThat(ids(members.path("members"))).containsExactly(greyId, samId, baileyId, alexId);
            }
            Http.Answer alexHistory = http.get("/api/conversations/" + teamId + "/messages", alex);
            assertThat(alexHistory.status()).isEqualTo(200);
            assertThat(alexHistory.body().path("messages")).isEmpty();

            send(alex, teamId, "t-2", "alex says hello");
            for (RawWebSocket s : List.of(greySocket, baileySocket, samSocket)) {
                assertThat(awaitType(s, "message").path("message").path("body").asText()).isEqualTo("alex says hello");
            }
            assertThat(http.get("/api/unread", sam).body().path("conversations").path(teamId).asLong())
                    .isEqualTo(2);

            Http.Answer removed = http.delete("/api/conversations/" + teamId + "/members/" + alexId, grey);
            assertThat(removed.status()).isEqualTo(200);
            assertThat(ids(removed.body().path("members"))).containsExactly(greyId, samId, baileyId);
            JsonNode alexSees = awaitType(alexSocket, "members");
            assertThat(ids(alexSees.path("members"))).doesNotContain(alexId);

            send(grey, teamId, "t-3", "after alex left");
            assertThat(awaitType(samSocket, "message").path("message").path("body").asText())
                    .isEqualTo("after alex left");
            alexSocket.sendText("{\"type\":\"ping\",\"ref\":\"barrier\"}");
            List<String> before = typesUntil(alexSocket, "pong");
            assertThat(before).doesNotContain("message");
            assertError(http.get("/api/conversations/" + teamId + "/messages", alex), 404, "not_found");
            assertError(http.post("/api/conversations/" + teamId + "/messages", alex,
                    Http.json(Map.of("clientMsgId", "late", "body", "still here?"))), 404, "not_found");
            assertError(http.delete("/api/conversations/" + teamId + "/members/" + greyId, sam), 403, "forbidden");
        }
    }

    @Test
    @DisplayName("the open frame with title and members creates a group; a patient's gets error forbidden")
    void openFrameCreatesGroup() throws Exception {
        try (RawWebSocket greySocket = socket(grey); RawWebSocket samSocket = socket(sam)) {
            greySocket.sendText(Http.json(Map.of("type", "open", "ref", "g1", "title", "Night shift",
                    "members", List.of(samId, baileyId))));
            JsonNode conversation = awaitType(greySocket, "conversation");
            assertThat(conversation.path("ref").asText()).isEqualTo("g1");
            assertThat(conversation.path("conversation").path("kind").asText()).isEqualTo("group");
            assertThat(conversation.path("conversation").path("title").asText()).isEqualTo("Night shift");
            assertThat(ids(conversation.path("conversation").path("members"))).containsExactly(greyId, samId, baileyId);

            samSocket.sendText(Http.json(Map.of("type", "open", "ref", "g2", "title", "Mine",
                    "members", List.of(greyId, baileyId))));
            JsonNode error = awaitType(samSocket, "error");
            assertThat(error.path("ref").asText()).isEqualTo("g2");
            assertThat(error.path("code").asText()).isEqualTo("forbidden");
        }
    }

    private static Http.Answer createTeam(String token, String title, List<String> members) {
        return http.post("/api/conversations", token, Http.json(Map.of("title", title, "members", members)));
    }

    private static void send(String token, String conversationId, String clientMsgId, String body) {
        Http.Answer sent = http.post("/api/conversations/" + conversationId + "/messages", token,
                Http.json(Map.of("clientMsgId", clientMsgId, "body", body)));
        assertThat(sent.status()).isEqualTo(201);
    }

    private static RawWebSocket socket(String token) throws IOException {
        RawWebSocket socket = RawWebSocket.upgrade(server.wsPort, "/ws", Map.of("Authorization", "Bearer " + token));
        awaitType(socket, "ready");
        return socket;
    }

    /** Reads frames until one of the type comes, and answers it; other frames are passed over. */
    private static JsonNode awaitType(RawWebSocket socket, String type) throws IOException {
        for (int i = 0; i < 200; i++) {
            JsonNode frame = JSON.readTree(socket.readText());
            if (type.equals(frame.path("type").asText())) {
                return frame;
            }
        }
        throw new AssertionError("no " + type + " frame");
    }

    /** The types of the frames before the first of {@code type}. */
    private static List<String> typesUntil(RawWebSocket socket, String type) throws IOException {
        List<String> types = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String t = JSON.readTree(socket.readText()).path("type").asText();
            if (type.equals(t)) {
                return types;
            }
            types.add(t);
        }
        throw new AssertionError("no " + type + " frame");
    }

    private static List<String> ids(JsonNode members) {
        List<String> ids = new ArrayList<>();
        members.forEach(m -> ids.add(m.path("id").asText()));
        return ids;
    }

    private static void assertError(Http.Answer answer, int status, String code) {
        assertThat(answer.status()).as("status").isEqualTo(status);
        assertThat(answer.errorCode()).as("error code").isEqualTo(code);
        assertThat(answer.body().path("error").path("message").asText()).isNotBlank().doesNotContain("Exception");
    }
}
