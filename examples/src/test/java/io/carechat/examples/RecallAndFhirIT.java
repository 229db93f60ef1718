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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recall and the FHIR export on the wire, against the demo jar: the {@code recall} frame and the
 * HTTP recall, the {@code recalled} push to the other member's socket, tombstones in history, the
 * contract's errors, refused downloads, and the two FHIR endpoints (content type, Bundle shape,
 * member only). The server runs with a short recall window and its own FHIR identifier system.
 */
class RecallAndFhirIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WINDOW_SECONDS = 15;
    private static final String SYSTEM = "https://ehr.example.org/fhir/sid/user";
    private static final String ADMIN_PASSWORD = "recall-root-passphrase";

    @TempDir
    static Path workDir;

    static DemoProcess server;
    static Http http;
    static String doctor;
    static String patient;
    static String outsider;
    static String conversation;

    @BeforeAll
    static void start() throws Exception {
        server = DemoProcess.start(workDir, Map.of("CARECHAT_ADMIN_PASSWORD", ADMIN_PASSWORD,
                "CARECHAT_RECALL_WINDOW_SECONDS", Integer.toString(WINDOW_SECONDS),
                "CARECHAT_FHIR_IDENTIFIER_SYSTEM", SYSTEM));
        http = new Http(server.baseUrl());
        doctor = http.login("dr.grey", Seeding.DEMO_PASSWORD);
        patient = http.login("sam", Seeding.DEMO_PASSWORD);
        outsider = http.login("alex", Seeding.DEMO_PASSWORD);
        Http.Answer opened = http.post("/api/conversations", patient, Http.json(Map.of("with", http.userId(doctor))));
        assertThat(opened.status()).isEqualTo(200);
        conversation = opened.body().path("conversation").path("id").asText();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static JsonNode send(String token, String clientMsgId, String body) {
        Http.Answer sent = http.post("/api/conversations/" + conversation + "/messages", token,
                Http.json(Map.of("clientMsgId", clientMsgId, "body", body)));
        assertThat(sent.status()).isEqualTo(201);
        return sent.body().path("message");
    }

    private static RawWebSocket socket(String token) throws IOException {
        RawWebSocket socket = RawWebSocket.upgrade(server.wsPort, "/ws", Map.of("Authorization", "Bearer " + token));
        awaitFrame(socket, f -> f.path("type").asText().equals("ready"));
        return socket;
    }

    /** Reads frames until one matches; the others (backlog, receipts, presence) are skipped. */
    private static JsonNode awaitFrame(RawWebSocket socket, Predicate<JsonNode> wanted) throws IOException {
        List<String> skipped = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            JsonNode frame = JSON.readTree(socket.readText());
            if (wanted.test(frame)) {
                return frame;
            }
            skipped.add(frame.path("type").asText());
        }
        throw new AssertionError("no matching frame among " + skipped);
    }

    private static Predicate<JsonNode> recalledAt(long seq) {
        return f -> f.path("type").asText().equals("recalled") && f.path("seq").asLong() == seq
                && f.path("conversationId").asText().equals(conversation);
    }

    private static JsonNode historyEntry(String token, long seq) {
        return http.history(token, conversation).stream().filter(m -> m.path("seq").asLong() == seq).findFirst()
                .orElseThrow();
    }

    private static void assertError(Http.Answer answer, int status, String code) {
        assertThat(answer.status()).as("status").isEqualTo(status);
        assertThat(answer.errorCode()).as("error code").isEqualTo(code);
        assertThat(answer.body().path("error").path("message").asText()).isNotBlank().doesNotContain("Exception");
    }

    private static Http.Answer recallOverHttp(String token, long seq, String reason) {
        return http.post("/api/conversations/" + conversation + "/messages/" + seq + "/recall", token,
                Http.json(Map.of("reason", reason)));
    }

    @Test
    @DisplayName("a recall frame from the sender is answered ok; the other member's socket gets recalled; history shows a tombstone")
    void recallFrame() throws Exception {
        try (RawWebSocket doctorSocket = socket(doctor); RawWebSocket patientSocket = socket(patient)) {
            JsonNode message = send(doctor, "frame-recall", "CANARY-FRAME meant for another patient");
            long seq = message.path("seq").asLong();
            doctorSocket.sendText(Http.json(Map.of("type", "recall", "ref", "rc-1", "conversationId", conversation,
                    "seq", seq, "reason", "wrong patient")));
            JsonNode ok = awaitFrame(doctorSocket, f -> "rc-1".equals(f.path("ref").asText(null)));
            assertThat(ok.path("type").asText()).isEqualTo("ok");

            JsonNode recalled = awaitFrame(patientSocket, recalledAt(seq));
            assertThat(Instant.parse(recalled.path("recalledAt").asText()))
                    .isAfterOrEqualTo(Instant.parse(message.path("sentAt").asText()));

            JsonNode tombstone = historyEntry(patient, seq);
            assertThat(tombstone.path("recalled").asBoolean()).isTrue();
            assertThat(tombstone.has("body")).isFalse();
            assertThat(tombstone.path("attachments")).isEmpty();
            assertThat(tombstone.path("id").asText()).isEqualTo(message.path("id").asText());
            assertThat(http.get("/api/conversations/" + conversation + "/messages", patient).body().toString())
                    .doesNotContain("CANARY-FRAME");

            patientSocket.sendText(Http.json(Map.of("type", "history", "ref", "h-1", "conversationId", conversation)));
            JsonNode history = awaitFrame(patientSocket, f -> "h-1".equals(f.path("ref").asText(null)));
            assertThat(history.toString()).doesNotContain("CANARY-FRAME").contains("\"recalled\":true");

            patientSocket.sendText(Http.json(Map.of("type", "recall", "ref", "rc-2", "conversationId", conversation,
                    "seq", seq, "reason", "not mine")));
            JsonNode refused = awaitFrame(patientSocket, f -> "rc-2".equals(f.path("ref").asText(null)));
            assertThat(refused.path("type").asText()).isEqualTo("error");
            assertThat(refused.path("code").asText()).isEqualTo("forbidden");
        }
    }

    @Test
    @DisplayName("POST .../messages/{seq}/recall by the sender answers the recalled body and reaches the other member's socket")
    void recallOverHttpReachesSockets() throws Exception {
        try (RawWebSocket patientSocket = socket(patient)) {
            long seq = send(doctor, "http-recall", "CANARY-HTTP wrong dose").path("seq").asLong();
            Http.Answer recalled = recallOverHttp(doctor, seq, "wrong dose");
            assertThat(recalled.status()).isEqualTo(200);
            assertThat(recalled.body().path("seq").asLong()).isEqualTo(seq);
            assertThat(recalled.body().path("recalledAt").asText()).isNotBlank();
            awaitFrame(patientSocket, recalledAt(seq));
            assertThat(historyEntry(doctor, seq).path("recalled").asBoolean()).isTrue();
        }
    }

    @Test
    @DisplayName("recall errors: another member 403, a non-member and an unknown seq 404, a blank reason and a bad seq 400")
    void recallErrors() {
        long seq = send(doctor, "errors", "still here").path("seq").asLong();
        assertError(recallOverHttp(patient, seq, "not mine"), 403, "forbidden");
        assertError(recallOverHttp(outsider, seq, "probing"), 404, "not_found");
        assertError(recallOverHttp(doctor, 99_999, "gone"), 404, "not_found");
        assertError(recallOverHttp(doctor, seq, "   "), 400, "bad_request");
        assertError(http.post("/api/conversations/" + conversation + "/messages/abc/recall", doctor,
                Http.json(Map.of("reason", "x"))), 400, "bad_request");
        assertThat(historyEntry(patient, seq).path("body").asText()).isEqualTo("still here");
    }

    @Test
    @DisplayName("after the recall window the sender gets 403 forbidden with a message that says so")
    void windowPassed() throws Exception {
        JsonNode message = send(doctor, "late", "too late to take back");
        Instant deadline = Instant.parse(message.path("sentAt").asText()).plusSeconds(WINDOW_SECONDS + 1);
        while (Instant.now().isBefore(deadline)) {
            Thread.sleep(Math.max(1, Duration.between(Instant.now(), deadline).toMillis()));
        }
        Http.Answer late = recallOverHttp(doctor, message.path("seq").asLong(), "too late");
        assertError(late, 403, "forbidden");
        assertThat(late.body().path("error").path("message").asText()).contains(WINDOW_SECONDS + " seconds");
    }

    @Test
    @DisplayName("the attachment of a recalled message is no longer downloadable")
    void attachmentRefused() {
        byte[] png = java.util.Base64.getDecoder().decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8"
                + "z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");
        Http.Answer uploaded = http.postRawWithName("/api/attachments", doctor, "image/png", "scan.png", png);
        assertThat(uploaded.status()).isEqualTo(201);
        String attachment = uploaded.body().path("id").asText();
        Http.Answer sent = http.post("/api/conversations/" + conversation + "/messages", doctor,
                Http.json(Map.of("clientMsgId", "with-scan", "body", "scan", "attachments", List.of(attachment))));
        assertThat(sent.status()).isEqualTo(201);
        assertThat(http.get("/api/attachments/" + attachment, patient).status()).isEqualTo(200);

        assertThat(recallOverHttp(doctor, sent.body().path("message").path("seq").asLong(), "wrong scan").status())
                .isEqualTo(200);

        assertError(http.get("/api/attachments/" + attachment, patient), 404, "not_found");
    }

    @Test
    @DisplayName("GET /api/conversations/{id}/fhir: a member gets an application/fhir+json Bundle of Communications; others 404")
    void conversationExport() throws Exception {
        long kept = send(patient, "fhir-kept", "CANARY-FHIR my results").path("seq").asLong();
        long recalled = send(doctor, "fhir-recalled", "CANARY-RECALLED wrong chart").path("seq").asLong();
        assertThat(recallOverHttp(doctor, recalled, "wrong chart").status()).isEqualTo(200);

        Http.Text export = http.getText("/api/conversations/" + conversation + "/fhir", patient);
        assertThat(export.status()).isEqualTo(200);
        assertThat(export.contentType()).startsWith("application/fhir+json");
        JsonNode bundle = JSON.readTree(export.body());
        assertThat(bundle.path("resourceType").asText()).isEqualTo("Bundle");
        assertThat(bundle.path("type").asText()).isEqualTo("collection");
        List<JsonNode> communications = new ArrayList<>();
        bundle.path("entry").forEach(e -> communications.add(e.path("resource")));
        assertThat(communications).allSatisfy(c -> {
            assertThat(c.path("resourceType").asText()).isEqualTo("Communication");
            assertThat(c.has("inResponseTo")).isFalse();
            assertThat(c.path("sender").path("identifier").path("system").asText()).isEqualTo(SYSTEM);
            assertThat(c.path("priority").asText()).isIn("routine", "urgent");
            assertThat(c.path("sent").asText()).isNotBlank();
        });
        assertThat(communications).hasSize(http.history(patient, conversation).size());
        JsonNode keptOne = communications.stream().filter(c -> c.toString().contains("CANARY-FHIR")).findFirst()
                .orElseThrow();
        assertThat(keptOne.path("status").asText()).isEqualTo("completed");
        assertThat(keptOne.path("payload").get(0).path("contentString").asText()).isEqualTo("CANARY-FHIR my results");
        assertThat(keptOne.path("sender").path("type").asText()).isEqualTo("Patient");
        assertThat(keptOne.path("recipient").get(0).path("type").asText()).isEqualTo("Practitioner");
        assertThat(communications).filteredOn(c -> c.path("status").asText().equals("entered-in-error"))
                .isNotEmpty().allSatisfy(c -> assertThat(c.has("payload")).isFalse());
        assertThat(export.body()).doesNotContain("CANARY-RECALLED");
        assertThat(kept).isPositive();

        Http.Answer refused = http.get("/api/conversations/" + conversation + "/fhir", outsider);
        assertError(refused, 404, "not_found");
        assertThat(http.get("/api/conversations/" + conversation + "/fhir", null).status()).isEqualTo(401);
    }

    @Test
    @DisplayName("GET /api/me/fhir: the caller's conversations only, as one Bundle, and every export is audited")
    void ownExport() throws Exception {
        send(patient, "me-fhir", "CANARY-ME in my record");
        Http.Text mine = http.getText("/api/me/fhir", patient);
        assertThat(mine.status()).isEqualTo(200);
        assertThat(mine.contentType()).startsWith("application/fhir+json");
        JsonNode bundle = JSON.readTree(mine.body());
        assertThat(bundle.path("resourceType").asText()).isEqualTo("Bundle");
        assertThat(bundle.path("type").asText()).isEqualTo("collection");
        assertThat(mine.body()).contains("CANARY-ME in my record");

        Http.Text theirs = http.getText("/api/me/fhir", outsider);
        assertThat(theirs.status()).isEqualTo(200);
        assertThat(theirs.body()).doesNotContain("CANARY-ME");

        String admin = http.login("admin", ADMIN_PASSWORD);
        Http.Answer exports = http.get("/api/admin/audit?action=message.export", admin);
        assertThat(exports.status()).isEqualTo(200);
        assertThat(exports.body().path("events")).isNotEmpty();
        assertThat(exports.body().toString()).doesNotContain("CANARY");
    }
}
