package io.carechat.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.carechat.messaging.tck.transport.RawWebSocket;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Offline notifications against the running demo jar: its {@link LogNotifier} writes a line to the
 * server's output for a patient who is offline when messages arrive, with the counts and a deep
 * link and nothing else; a patient who is connected gets the messages live and no line. The delay
 * is {@value #AFTER_SECONDS} seconds here and the quiet period off, so that both show in seconds.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OfflineNotificationsIT {
    private static final int AFTER_SECONDS = 2;
    private static final String ADMIN_PASSWORD = "integration-root-passphrase";
    private static final String LINK_BASE = "https://ehr.example/carechat/#/conversations";
    private static final Pattern NOTICE = Pattern.compile(
            "offline notice: user=(\\S+) unread=(\\d+) conversations=(\\d+) urgent=(\\d+) link=(\\S+)");
    private static final List<String> BODIES = List.of("Your biopsy came back", "Please call the ward today",
            "Bring your medication list", "Checking in on you");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path workDir;

    static DemoProcess server;
    static Http http;
    static String grey;
    static String sam;
    static String samId;
    static String samConversation;

    @BeforeAll
    static void start() throws Exception {
        server = DemoProcess.start(workDir, Map.of("CARECHAT_ADMIN_PASSWORD", ADMIN_PASSWORD,
                "CARECHAT_NOTIFY_AFTER_SECONDS", Integer.toString(AFTER_SECONDS),
                "CARECHAT_NOTIFY_QUIET_SECONDS", "0",
                "CARECHAT_NOTIFY_LINK_BASE", LINK_BASE));
        http = new Http(server.baseUrl());
        grey = http.login("dr.grey", Seeding.DEMO_PASSWORD);
        sam = http.login("sam", Seeding.DEMO_PASSWORD);
        samId = http.userId(sam);
        samConversation = open(grey, samId);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    @DisplayName("a patient offline while a doctor sends three messages, one urgent, is told once, in one log line"
            + " with counts 3, 1 conversation, 1 urgent and a link to the conversation, and no body or name")
    void offlinePatientIsToldOnce() throws Exception {
        send(grey, samConversation, "g-1", BODIES.get(0), "normal");
        send(grey, samConversation, "g-2", BODIES.get(1), "urgent");
        send(grey, samConversation, "g-3", BODIES.get(2), "normal");

        Matcher notice = awaitNotice(samId, 1);
        assertThat(notice.group(2)).as("unread").isEqualTo("3");
        assertThat(notice.group(3)).as("conversations").isEqualTo("1");
        assertThat(notice.group(4)).as("urgent").isEqualTo("1");
        assertThat(notice.group(5)).isEqualTo(LINK_BASE + "/" + samConversation);

        String log = server.log();
        for (String body : BODIES) {
            assertThat(log).doesNotContain(body);
        }
        List<String> lines = noticeLines(log);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).doesNotContain("Sam Patient", "Meredith", "Grey", "dr.grey", "sam@")
                .doesNotContain(http.userId(grey));
    }

    @Test
    @Order(2)
    @DisplayName("once the patient is connected, a new message reaches their socket and no further line is written,"
            + " while a patient still offline messaged after it is told")
    void connectedPatientIsNotTold() throws Exception {
        String alexId = http.userId(http.login("alex", Seeding.DEMO_PASSWORD));
        String alexConversation = open(grey, alexId);
        try (RawWebSocket samSocket = RawWebSocket.upgrade(server.wsPort, "/ws",
                Map.of("Authorization", "Bearer " + sam))) {
            awaitFrame(samSocket, f -> "ready".equals(f.path("type").asText()));

            send(grey, samConversation, "g-4", BODIES.get(3), "normal");
            awaitFrame(samSocket, f -> "message".equals(f.path("type").asText())
                    && BODIES.get(3).equals(f.path("message").path("body").asText()));
            send(grey, alexConversation, "g-5", BODIES.get(3), "normal");

            // Alex's notice falls due after any notice of Sam's would have: once it is written, Sam's
            // would have been decided too.
            Matcher alex = awaitNotice(alexId, 1);
            assertThat(alex.group(2)).isEqualTo("1");
            assertThat(noticeLines(server.log())).filteredOn(line -> line.contains("user=" + samId + " ")).hasSize(1);
            assertThat(server.log()).doesNotContain(BODIES.get(3));
        }
    }

    private static String open(String token, String withUserId) {
        Http.Answer opened = http.post("/api/conversations", token, Http.json(Map.of("with", withUserId)));
        assertThat(opened.status()).isIn(200, 201);
        return opened.body().path("conversation").path("id").asText();
    }

    private static void send(String token, String conversationId, String clientMsgId, String body, String priority) {
        Http.Answer sent = http.post("/api/conversations/" + conversationId + "/messages", token,
                Http.json(Map.of("clientMsgId", clientMsgId, "body", body, "priority", priority)));
        assertThat(sent.status()).as("send " + clientMsgId).isEqualTo(201);
    }

    private static List<String> noticeLines(String log) {
        return log.lines().filter(line -> line.contains("offline notice:")).toList();
    }

    /** Waits, bounded, for the user's {@code count}-th notice line and returns it parsed. */
    private static Matcher awaitNotice(String userId, int count) throws Exception {
        Instant giveUp = Instant.now().plusSeconds(AFTER_SECONDS * 15L);
        while (true) {
            List<String> lines = noticeLines(server.log()).stream()
                    .filter(line -> line.contains("user=" + userId + " ")).toList();
            if (lines.size() >= count) {
                Matcher matcher = NOTICE.matcher(lines.get(count - 1));
                assertThat(matcher.find()).as("the line has the notice's form: " + lines.get(count - 1)).isTrue();
                return matcher;
            }
            if (Instant.now().isAfter(giveUp)) {
                throw new AssertionError("no offline notice for the user in the server's output:\n" + server.log());
            }
            Thread.sleep(100);
        }
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
}
