package io.carechat.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.examples.Http.Answer;
import io.carechat.messaging.tck.transport.RawWebSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator of the demo relies on: the Prometheus meters at {@code /metrics} for admins
 * only, the live figures of the admin dashboard, liveness and readiness, and log lines that carry
 * the request's ids and the client's trace id.
 */
class OperationsIT {
    private static final String ADMIN_PASSWORD = "operations-root-passphrase";
    private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
    private static final Pattern SENDS_OK =
            Pattern.compile("(?m)^carechat_sends_total\\{[^}]*outcome=\"ok\"[^}]*\\} (\\S+)$");

    @TempDir
    static Path workDir;

    static DemoProcess server;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        // every API request and the hub's sessions log a line at debug level, for the log context test
        server = DemoProcess.start(workDir, Map.of("CARECHAT_ADMIN_PASSWORD", ADMIN_PASSWORD,
                "JAVA_TOOL_OPTIONS", "-Dcarechat.log.http=DEBUG -Dcarechat.log.hub=DEBUG"));
        http = new Http(server.baseUrl());
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static double sendsOk(String metrics) {
        Matcher matcher = SENDS_OK.matcher(metrics);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    @Test
    @DisplayName("/metrics: 401 without a token and 403 for a patient, in the contract's error body; an admin"
            + " reads the Prometheus text and sees carechat_sends_total move after a send")
    void metricsForAdminsOnly() {
        Answer anonymous = http.get("/metrics", null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.errorCode()).isEqualTo("unauthenticated");
        String sam = http.login("sam", Seeding.DEMO_PASSWORD);
        Answer patient = http.get("/metrics", sam);
        assertThat(patient.status()).isEqualTo(403);
        assertThat(patient.errorCode()).isEqualTo("forbidden");

        String admin = http.login("admin", ADMIN_PASSWORD);
        Http.Text before = http.getText("/metrics", admin);
        assertThat(before.status()).isEqualTo(200);
        assertThat(before.contentType()).startsWith("text/plain");
        assertThat(before.body()).contains("carechat_sockets_open").contains("carechat_storage_commit_batch");

        String grey = http.login("dr.grey", Seeding.DEMO_PASSWORD);
        Answer opened = http.post("/api/conversations", sam, Http.json(Map.of("with", http.userId(grey))));
        String conversation = opened.body().path("conversation").path("id").asText();
        Answer sent = http.post("/api/conversations/" + conversation + "/messages", sam,
                Http.json(Map.of("clientMsgId", "ops-1", "body", "metrics, please")));
        assertThat(sent.status()).isEqualTo(201);

        Http.Text after = http.getText("/metrics", admin);
        assertThat(sendsOk(after.body())).isEqualTo(sendsOk(before.body()) + 1);
        assertThat(after.body()).contains("carechat_sends_ack_seconds_count").doesNotContain("metrics, please")
                .doesNotContain(conversation).doesNotContain(http.userId(sam));
        assertThat(after.body()).as("the scheduled jobs, by name")
                .containsPattern("(?m)^carechat_jobs_running\\{job=\"retention\"\\} [01]")
                .containsPattern("(?m)^carechat_jobs_processed\\{job=\"key-rotation\"\\} ")
                .contains("carechat_jobs_last_success{job=\"retention\"}");
    }

    @Test
    @DisplayName("the admin dashboard's figures: open sockets, sends by outcome, ack latency; 403 for a doctor")
    void dashboardFigures() throws Exception {
        String grey = http.login("dr.grey", Seeding.DEMO_PASSWORD);
        assertThat(http.get("/api/admin/metrics", grey).status()).isEqualTo(403);
        String admin = http.login("admin", ADMIN_PASSWORD);
        try (RawWebSocket socket = RawWebSocket.upgrade(server.httpPort, "/ws", Map.of("Authorization", "Bearer " + grey))) {
            assertThat(socket.readText()).contains("\"ready\"");
            Answer figures = http.get("/api/admin/metrics", admin);
            assertThat(figures.status()).isEqualTo(200);
            assertThat(figures.body().path("openSockets").asDouble()).isGreaterThanOrEqualTo(1);
            assertThat(figures.body().has("sends")).isTrue();
            assertThat(figures.body().has("ackP99Millis")).isTrue();
            assertThat(figures.body().has("ackMeanMillis")).isTrue();
        }
    }

    @Test
    @DisplayName("/health/live and /health/ready answer UP with the storage, bus and audit writer checks;"
            + " /health is as before")
    void health() {
        Answer live = http.get("/health/live", null);
        assertThat(live.status()).isEqualTo(200);
        assertThat(live.body().path("status").asText()).isEqualTo("UP");
        Answer ready = http.get("/health/ready", null);
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.body().path("checks").path("storage").asText()).isEqualTo("UP");
        assertThat(ready.body().path("checks").path("bus").asText()).isEqualTo("UP");
        assertThat(ready.body().path("checks").path("auditWriter").asText()).isEqualTo("UP");
        Answer health = http.get("/health", null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body().path("checks").path("database").asText()).isEqualTo("UP");
    }

    @Test
    @DisplayName("a request's log lines carry its request id, the user id and the traceparent's trace id,"
            + " a socket's its socket id, user id and trace id; never the token")
    void logLinesCarryIds() throws Exception {
        String admin = http.login("admin", ADMIN_PASSWORD);
        String adminId = http.userId(admin);
        String traceparent = "00-" + TRACE_ID + "-b7ad6b7169203331-01";
        Answer roster = http.getWithHeaders("/api/admin/on-call", admin, Map.of("traceparent", traceparent));
        assertThat(roster.status()).isEqualTo(200);
        String requestId = roster.headers().firstValue("X-Request-Id").orElseThrow();
        try (RawWebSocket socket = RawWebSocket.upgrade(server.httpPort, "/ws",
                Map.of("Authorization", "Bearer " + admin, "traceparent", traceparent))) {
            assertThat(socket.readText()).contains("\"ready\"");
        }

        String requestLine = awaitLine(requestId);
        assertThat(requestLine).contains("user=" + adminId).contains("trace=" + TRACE_ID).doesNotContain(admin);
        String socketLine = awaitLine("closed by the transport");
        assertThat(socketLine).contains("jws-").contains("user=" + adminId).contains("trace=" + TRACE_ID)
                .doesNotContain(admin);
    }

    /** The first line of the server's log holding the text, waiting for it to be written. */
    private static String awaitLine(String text) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            String line = server.log().lines().filter(l -> l.contains(text)).findFirst().orElse(null);
            if (line != null) {
                return line;
            }
            assertThat(System.nanoTime()).as("a log line with %s", text).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
