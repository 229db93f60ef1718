package io.carechat.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.carechat.messaging.tck.transport.RawWebSocket;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo server as the README's run line starts it ({@code java -jar examples/target/carechat-demo.jar}),
 * driven over HTTP through a whole flow with the exact status codes of the wire contract.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoServerIT {
    private static final String ADMIN_PASSWORD = "integration-root-passphrase";
    private static final String PASSWORD = "a long patient passphrase";

    @TempDir
    static Path workDir;

    static DemoProcess server;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        server = DemoProcess.start(workDir, Map.of("CARECHAT_ADMIN_PASSWORD", ADMIN_PASSWORD,
                "CARECHAT_HTTP_READ_TIMEOUT_SECONDS", "2"));
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
    @DisplayName("/health answers UP with the database check, and start-up printed the UI address and demo accounts")
    void health() throws Exception {
        Http.Answer health = http.get("/health", null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body().path("status").asText()).isEqualTo("UP");
        assertThat(health.body().path("checks").path("database").asText()).isEqualTo("UP");
        assertThat(server.log()).contains("open http://localhost:" + server.httpPort)
                .contains("dr.grey").contains(Seeding.DEMO_PASSWORD)
                .doesNotContain(ADMIN_PASSWORD);
    }

    @Test
    @Order(1)
    @DisplayName("/api/openapi.json serves the OpenAPI 3.1 document to anyone, cacheable")
    void openApiDocument() {
        Http.Answer doc = http.get("/api/openapi.json", null);
        assertThat(doc.status()).isEqualTo(200);
        assertThat(doc.body().path("openapi").asText()).startsWith("3.1.");
        assertThat(doc.body().path("paths").has("/api/conversations/{conversationId}/messages")).isTrue();
        assertThat(doc.headers().firstValue("Cache-Control")).hasValue("public, max-age=3600");
        assertThat(http.get("/api/config", null).headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    @Order(2)
    @DisplayName("register, login by e-mail, refresh, open, send, history, read and unread answer as the contract says")
    void fullFlow() {
        Http.Answer registered = http.post("/api/auth/register", null, Http.json(Map.of("username", "pat.one",
                "email", "Pat.One@Example.org", "password", PASSWORD, "displayName", "Pat One")));
        assertThat(registered.status()).isEqualTo(201);
        assertThat(registered.body().path("user").path("roles").get(0).asText()).isEqualTo("PATIENT");

        Http.Answer login = login("pat.one@example.org", PASSWORD);
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.body().path("expiresIn").asLong()).isBetween(1L, 900L);
        String refreshToken = login.body().path("refreshToken").asText();

        Http.Answer refreshed = http.post("/api/auth/refresh", null, Http.json(Map.of("refreshToken", refreshToken)));
        assertThat(refreshed.status()).isEqualTo(200);
        String patient = refreshed.body().path("accessToken").asText();
        assertThat(refreshed.body().path("refreshToken").asText()).isNotEqualTo(refreshToken);

        Http.Answer me = http.get("/api/me", patient);
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.body().path("user").path("username").asText()).isEqualTo("pat.one");

        Http.Answer contacts = http.get("/api/contacts", patient);
        assertThat(contacts.status()).isEqualTo(200);
        String doctorId = idOf(contacts.body().path("contacts"), "Dr Meredith Grey");

        Http.Answer opened = http.post("/api/conversations", patient, Http.json(Map.of("with", doctorId)));
        assertThat(opened.status()).isEqualTo(200);
        String conversationId = opened.body().path("conversation").path("id").asText();

        Http.Answer sent = http.post("/api/conversations/" + conversationId + "/messages", patient,
                Http.json(Map.of("clientMsgId", "m-1", "body", "My results came in.", "priority", "urgent")));
        assertThat(sent.status()).isEqualTo(201);
        assertThat(sent.body().path("message").path("seq").asLong()).isEqualTo(1);
        assertThat(sent.body().path("message").path("priority").asText()).isEqualTo("urgent");

        Http.Answer repeat = http.post("/api/conversations/" + conversationId + "/messages", patient,
                Http.json(Map.of("clientMsgId", "m-1", "body", "My results came in.", "priority", "urgent")));
        assertThat(repeat.status()).isEqualTo(201);
        assertThat(repeat.body().path("message").path("id").asText())
                .isEqualTo(sent.body().path("message").path("id").asText());

        String doctor = login("dr.grey", Seeding.DEMO_PASSWORD).body().path("accessToken").asText();
        Http.Answer unread = http.get("/api/unread", doctor);
        assertThat(unread.status()).isEqualTo(200);
        assertThat(unread.body().path("total").asLong()).isEqualTo(1);
        assertThat(unread.body().path("conversations").path(conversationId).asLong()).isEqualTo(1);

        Http.Answer history = http.get("/api/conversations/" + conversationId + "/messages?limit=10", doctor);
        assertThat(history.status()).isEqualTo(200);
        assertThat(history.body().path("messages")).hasSize(1);
        assertThat(history.body().path("messages").get(0).path("body").asText()).isEqualTo("My results came in.");
        assertThat(history.body().path("messages").get(0).has("clientMsgId")).as("clientMsgId goes to its sender only")
                .isFalse();
        assertThat(history.body().path("hasMore").asBoolean()).isFalse();

        Http.Answer read = http.post("/api/conversations/" + conversationId + "/read", doctor, Http.json(Map.of("seq", 1)));
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body().path("total").asLong()).isZero();
        assertThat(http.get("/api/unread", doctor).body().path("total").asLong()).isZero();

        Http.Answer conversations = http.get("/api/conversations", doctor);
        assertThat(conversations.status()).isEqualTo(200);
        assertThat(conversations.body().path("conversations")).hasSize(1);
    }

    @Test
    @Order(3)
    @DisplayName("errors answer 401, 403, 404, 409, 413 and 415 as JSON, without stack traces")
    void errorStatuses() {
        String patient = login("pat.one", PASSWORD).body().path("accessToken").asText();

        Http.Answer noToken = http.get("/api/me", null);
        assertError(noToken, 401, "unauthenticated");
        assertError(http.get("/api/me", patient + "x"), 401, "unauthenticated");

        assertError(http.get("/api/admin/users", patient), 403, "forbidden");

        String alex = login("alex", Seeding.DEMO_PASSWORD).body().path("accessToken").asText();
        String doctorId = idOf(http.get("/api/contacts", alex).body().path("contacts"), "Dr Miranda Bailey");
        String alexConversation = http.post("/api/conversations", alex, Http.json(Map.of("with", doctorId)))
                .body().path("conversation").path("id").asText();
        assertError(http.get("/api/conversations/" + alexConversation + "/messages", patient), 404, "not_found");
        assertError(http.post("/api/conversations/" + alexConversation + "/messages", patient,
                Http.json(Map.of("clientMsgId", "probe", "body", "hi"))), 404, "not_found");

        String alexId = http.get("/api/me", alex).body().path("user").path("id").asText();
        assertError(http.post("/api/conversations", patient, Http.json(Map.of("with", alexId))), 403, "forbidden");

        assertError(http.post("/api/auth/register", null, Http.json(Map.of("username", "PAT.ONE",
                "email", "other@example.org", "password", PASSWORD, "displayName", "Copy"))), 409, "conflict");
        String ownConversation = http.get("/api/conversations", patient).body().path("conversations").get(0)
                .path("id").asText();
        assertError(http.post("/api/conversations/" + ownConversation + "/messages", patient,
                Http.json(Map.of("clientMsgId", "m-1", "body", "a different body"))), 409, "conflict");

        byte[] huge = ("{\"login\":\"" + "x".repeat(300 * 1024) + "\",\"password\":\"p\"}").getBytes();
        assertError(http.postRaw("/api/auth/login", null, "application/json", huge), 413, "too_large");
        assertError(http.postRaw("/api/auth/login", null, "text/plain", "login=x".getBytes()), 415,
                "unsupported_media_type");
        assertError(http.postWithoutContentType("/api/auth/login", "{\"login\":\"x\",\"password\":\"y\"}".getBytes()),
                415, "unsupported_media_type");

        assertError(http.get("/api/unread?access_token=" + patient, null), 400, "bad_request");
        assertError(http.post("/api/conversations/" + ownConversation + "/messages", patient, "{not json"), 400,
                "bad_request");
    }

    @Test
    @Order(4)
    @DisplayName("repeated failed logins are slowed down with 429, and wrong password and unknown user look the same")
    void throttling() throws IOException {
        Http.Answer wrongPassword = login("sam", "not the right password at all");
        Http.Answer unknownUser = login("nobody-here", "not the right password at all");
        assertError(wrongPassword, 401, "unauthenticated");
        assertError(unknownUser, 401, "unauthenticated");
        assertThat(wrongPassword.body()).isEqualTo(unknownUser.body());
        Http.Answer last = wrongPassword;
        for (int i = 0; i < 5 && last.status() != 429; i++) {
            last = login(i % 2 == 0 ? "sam@demo.carechat.invalid" : "sam", "not the right password at all");
        }
        assertError(last, 429, "rate_limited");
        assertThat(loginFrom("127.0.0.2", "sam", Seeding.DEMO_PASSWORD))
                .as("the real user from another address gets in while this address is slowed").isEqualTo(200);
        assertThat(login("alex", Seeding.DEMO_PASSWORD).status()).as("other accounts from this address too")
                .isEqualTo(200);
    }

    @Test
    @Order(4)
    @DisplayName("after logout the old access token gets 401 on every call and cannot open a socket; its live socket is closed 4401")
    void logoutRevokesTheAccessToken() throws IOException {
        String token = login("alex", Seeding.DEMO_PASSWORD).body().path("accessToken").asText();
        assertThat(http.get("/api/conversations", token).status()).isEqualTo(200);
        try (RawWebSocket live = RawWebSocket.upgrade(server.wsPort, "/ws", Map.of("Authorization", "Bearer " + token))) {
            assertThat(live.readText()).contains("\"ready\"");
            assertThat(http.post("/api/auth/logout", token, Http.json(Map.of())).status()).isEqualTo(204);
            RawWebSocket.Frame closed = live.awaitClose();
            assertThat(closed.closeCode()).isEqualTo(4401);
            assertThat(closed.closeReason()).isEqualTo("logged_out");
        }
        assertError(http.get("/api/conversations", token), 401, "unauthenticated");
        assertError(http.get("/api/unread", token), 401, "unauthenticated");
        assertError(http.get("/api/me", token), 401, "unauthenticated");
        try (RawWebSocket refused = RawWebSocket.upgrade(server.wsPort, "/ws", Map.of("Authorization", "Bearer " + token))) {
            assertThat(refused.awaitCloseCode()).isEqualTo(4401);
        }
        String fresh = login("alex", Seeding.DEMO_PASSWORD).body().path("accessToken").asText();
        assertThat(http.get("/api/unread", fresh).status()).as("a login right after the logout works").isEqualTo(200);
    }

    @Test
    @Order(4)
    @DisplayName("a disabled doctor's access token gets 401 on history at once")
    void disabledDoctorReadsNothing() {
        String doctor = login("dr.bailey", Seeding.DEMO_PASSWORD).body().path("accessToken").asText();
        String doctorId = http.get("/api/me", doctor).body().path("user").path("id").asText();
        String patient = login("alex", Seeding.DEMO_PASSWORD).body().path("accessToken").asText();
        String patientId = http.get("/api/me", patient).body().path("user").path("id").asText();
        String conversation = http.post("/api/conversations", doctor, Http.json(Map.of("with", patientId))).body()
                .path("conversation").path("id").asText();
        String history = "/api/conversations/" + conversation + "/messages";
        assertThat(http.get(history, doctor).status()).isEqualTo(200);
        String admin = login("admin", ADMIN_PASSWORD).body().path("accessToken").asText();
        assertThat(http.post("/api/admin/users/" + doctorId + "/disable", admin, Http.json(Map.of())).status())
                .isEqualTo(200);
        assertError(http.get(history, doctor), 401, "unauthenticated");
    }

    @Test
    @Order(5)
    @DisplayName("attachments are recognised by content, downloadable by members, and the audit trail verifies")
    void attachmentsAndAudit() {
        String patient = login("pat.one", PASSWORD).body().path("accessToken").asText();
        byte[] png = java.util.Base64.getDecoder().decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8"
                + "z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");
        Http.Answer uploaded = http.postRawWithName("/api/attachments", patient, "application/octet-stream",
                "scan%20%C3%A9.png", png);
        assertThat(uploaded.status()).isEqualTo(201);
        assertThat(uploaded.body().path("contentType").asText()).isEqualTo("image/png");
        assertThat(uploaded.body().path("name").asText()).isEqualTo("scan é.png");
        String attachmentId = uploaded.body().path("id").asText();

        String conversation = http.get("/api/conversations", patient).body().path("conversations").get(0)
                .path("id").asText();
        Http.Answer sent = http.post("/api/conversations/" + conversation + "/messages", patient,
                Http.json(Map.of("clientMsgId", "with-scan", "body", "", "attachments", java.util.List.of(attachmentId))));
        assertThat(sent.status()).isEqualTo(201);
        String doctor = login("dr.grey", Seeding.DEMO_PASSWORD).body().path("accessToken").asText();
        Http.Answer download = http.get("/api/attachments/" + attachmentId, doctor);
        assertThat(download.status()).isEqualTo(200);
        assertThat(download.contentType()).isEqualTo("image/png");
        assertThat(download.headers().firstValue("Content-Disposition")).as("saved, never rendered")
                .hasValue("attachment; filename=\"scan _.png\"; filename*=UTF-8''scan%20%C3%A9.png");
        assertThat(download.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                policy -> assertThat(policy).startsWith("sandbox"));
        String alex = login("alex", Seeding.DEMO_PASSWORD).body().path("accessToken").asText();
        assertError(http.get("/api/attachments/" + attachmentId, alex), 404, "not_found");

        byte[] executable = "MZ\u0090\u0000 this is not a PDF".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertError(http.postRawWithName("/api/attachments", patient, "application/pdf", "report.pdf", executable), 415,
                "unsupported_media_type");
        byte[] scriptedPdf = ("%PDF-1.7\n1 0 obj\n<< /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>\n"
                + "endobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertError(http.postRawWithName("/api/attachments", patient, "application/pdf", "results.pdf", scriptedPdf), 415,
                "unsupported_media_type");
        byte[] htmlBehindPngSignature = java.util.Arrays.copyOf(png, 8 + 40);
        System.arraycopy("<html><script>alert(1)</script></html>".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                0, htmlBehindPngSignature, 8, 38);
        assertError(http.postRawWithName("/api/attachments", patient, "image/png", "x.png", htmlBehindPngSignature), 415,
                "unsupported_media_type");

        String admin = login("admin", ADMIN_PASSWORD).body().path("accessToken").asText();
        Http.Answer events = http.get("/api/admin/audit?action=message.send", admin);
        assertThat(events.status()).isEqualTo(200);
        assertThat(events.body().path("events")).isNotEmpty();
        assertThat(events.body().toString()).doesNotContain("My results came in.");
        Http.Answer verify = http.get("/api/admin/audit/verify", admin);
        assertThat(verify.status()).isEqualTo(200);
        assertThat(verify.body().path("valid").asBoolean()).isTrue();
        assertThat(verify.body().path("checked").asLong()).isPositive();
        assertError(http.get("/api/admin/audit/verify", patient), 403, "forbidden");
        assertError(http.get("/api/admin/audit/export?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", admin), 400,
                "bad_request");
    }

    @Test
    @Order(6)
    @DisplayName("every answer carries the security headers, and the web UI is served")
    void securityHeadersAndUi() {
        Http.Answer page = http.get("/", null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        Http.Answer api = http.get("/api/config", null);
        assertThat(api.status()).isEqualTo(200);
        assertThat(api.body().path("wsUrl").asText()).isEqualTo("ws://localhost:" + server.wsPort + "/ws");
        Http.Answer error = http.get("/api/me", null);
        for (Http.Answer answer : java.util.List.of(page, api, error)) {
            assertThat(answer.headers().firstValue("Content-Security-Policy")).get().asString()
                    .contains("default-src 'self'").contains("frame-ancestors 'none'")
                    .as("sockets only to the configured endpoint")
                    .contains("connect-src 'self' ws://localhost:" + server.wsPort + "/ws;").doesNotContain("ws: wss:");
            assertThat(answer.headers().firstValue("Strict-Transport-Security")).as("no HSTS over plain HTTP").isEmpty();
            assertThat(answer.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
            assertThat(answer.headers().firstValue("Access-Control-Allow-Origin")).as("no CORS unless configured")
                    .isEmpty();
        }
    }

    @Test
    @Order(7)
    @DisplayName("files that are not the web UI's are not served, and the data folder is the server user's alone")
    void nothingElseIsExposed() throws IOException {
        assertThat(http.get("/TESTING.md", null).status()).isEqualTo(404);
        assertThat(Files.getPosixFilePermissions(server.dataDir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        try (Stream<Path> files = Files.list(server.dataDir)) {
            assertThat(files.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().startsWith("carechat")))
                    .isNotEmpty()
                    .allSatisfy(f -> assertThat(Files.getPosixFilePermissions(f)).as(f.getFileName().toString())
                            .isEqualTo(PosixFilePermissions.fromString("rw-------")));
        }
    }

    @Test
    @Order(8)
    @DisplayName("registrations from one address beyond the budget get 429 before any password is hashed")
    void registrationsAreThrottledPerAddress() {
        int accepted = 0;
        Http.Answer last = null;
        for (int i = 0; i < 11; i++) {
            last = http.post("/api/auth/register", null, Http.json(Map.of("username", "burst." + i,
                    "email", "burst." + i + "@example.org", "password", PASSWORD, "displayName", "Burst " + i)));
            if (last.status() != 201) {
                break;
            }
            accepted++;
        }
        assertError(last, 429, "rate_limited");
        assertThat(accepted).as("the budget of 10 a minute, less the registrations of earlier tests").isBetween(1, 10);
    }

    @Test
    @Order(9)
    @DisplayName("a client that sends its request headers too slowly is disconnected")
    void slowRequestHeadersAreCutOff() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.httpPort)) {
            socket.setSoTimeout(200);
            OutputStream out = socket.getOutputStream();
            out.write("GET /api/config HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
            boolean closed = false;
            for (int i = 0; i < 100 && !closed; i++) {
                try {
                    out.write(("X-Slow-" + i + ": 1\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    closed = socket.getInputStream().read() < 0;
                } catch (SocketTimeoutException stillOpen) {
                    // the server is still waiting for the rest of the headers
                } catch (IOException reset) {
                    closed = true;
                }
            }
            assertThat(closed).as("closed within 20 s of dribbled headers (limit 2 s)").isTrue();
        }
    }

    @Test
    @Order(10)
    @DisplayName("SIGTERM shuts the server down gracefully")
    void gracefulShutdown() throws Exception {
        server.stop();
        assertThat(server.isAlive()).isFalse();
        assertThat(server.log()).contains("CareChat is shutting down");
    }

    /** Logs in over a connection from another local address, such as 127.0.0.2; returns the status. */
    private static int loginFrom(String localAddress, String login, String password) throws IOException {
        byte[] body = Http.json(Map.of("login", login, "password", password)).getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", server.httpPort, InetAddress.getByName(localAddress), 0)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Connection: close\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            String statusLine = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(statusLine.substring(9, 12));
        }
    }

    private static Http.Answer login(String login, String password) {
        return http.post("/api/auth/login", null, Http.json(Map.of("login", login, "password", password)));
    }

    private static void assertError(Http.Answer answer, int status, String code) {
        assertThat(answer.status()).as("status").isEqualTo(status);
        assertThat(answer.errorCode()).as("error code").isEqualTo(code);
        assertThat(answer.body().path("error").path("message").asText()).isNotBlank().doesNotContain("Exception")
                .doesNotContain("\tat ");
    }

    private static String idOf(JsonNode users, String displayName) {
        for (JsonNode user : users) {
            if (displayName.equals(user.path("displayName").asText())) {
                return user.path("id").asText();
            }
        }
        throw new AssertionError(displayName + " not in " + users);
    }
}
