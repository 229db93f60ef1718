package io.carechat.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.tck.transport.RawWebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A steady load held for a while against the running demo jar on PostgreSQL: a patient sends to a
 * doctor every {@link SteadyChat#PACE} over sockets that stay open, while another patient logs in
 * over HTTP, connects, sends one message, reads its unread count and disconnects, again and again.
 * After a warm-up the server's threads (outside its fixed pools), open files, heap after GC and
 * PostgreSQL sessions are measured; at the end they must be flat, and every acknowledged steady
 * message must have reached the doctor.
 *
 * <p>The short mode (the default, 60 s after a 10 s warm-up) runs in the default build; the long one
 * ({@code -Dcarechat.soak.seconds=600}) is run by hand; {@code docs/reliability.md} has the commands
 * and the last results.
 * Needs PostgreSQL ({@code CARECHAT_TEST_POSTGRES_URL}); skipped without it unless
 * {@code CARECHAT_REQUIRE_POSTGRES=1}.
 */
class SoakIT {
    private static final Duration LENGTH = Duration.ofSeconds(Long.getLong("carechat.soak.seconds", 60));
    private static final Duration WARM_UP = Duration.ofSeconds(10);

    @TempDir
    Path workDir;

    @Test
    @DisplayName("steady sends, receives and reconnects for a while leave threads, files, heap and database sessions flat")
    void soak() throws Exception {
        String baseUrl = postgresUrl();
        String schema = "carechat_soak_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(baseUrl); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        try {
            run(baseUrl, baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema
                    + "&ApplicationName=" + schema, schema);
        } finally {
            try (Connection c = DriverManager.getConnection(baseUrl); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    private void run(String adminUrl, String dbUrl, String applicationName) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("CARECHAT_DB_URL", dbUrl);
        env.put("CARECHAT_ADMIN_PASSWORD", "soak-test-root-passphrase");
        env.put("CARECHAT_JWT_SECRET", "a soak test signing key of more than 32 bytes");
        env.put("CARECHAT_KEYS", "soak-1:" + Base64.getEncoder().encodeToString(new byte[32]));
        env.put("CARECHAT_DEMO_DATA", "true");
        try (DemoProcess server = DemoProcess.start(Files.createDirectories(workDir.resolve("server")), env)) {
            SteadyChat steady = new SteadyChat(server, "sam", "dr.grey");
            try {
                soak(server, steady, adminUrl, applicationName);
            } finally {
                steady.close();
            }
        }
    }

    private static void soak(DemoProcess server, SteadyChat steady, String adminUrl, String applicationName)
            throws Exception {
        {
            Http http = new Http(server.baseUrl());
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong reconnects = new AtomicLong();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread reconnecting = new Thread(() -> {
                try {
                    String doctor = http.userId(http.login("dr.bailey", Seeding.DEMO_PASSWORD));
                    for (long i = 0; !stop.get(); i++) {
                        String token = http.login("alex", Seeding.DEMO_PASSWORD);
                        String conversation = http.post("/api/conversations", token, Http.json(Map.of("with", doctor)))
                                .body().path("conversation").path("id").asText();
                        try (RawWebSocket socket = RawWebSocket.upgrade(server.wsPort, "/ws",
                                Map.of("Authorization", "Bearer " + token))) {
                            socket.readText();
                            socket.sendText("{\"type\":\"send\",\"ref\":\"r\",\"conversationId\":\"" + conversation
                                    + "\",\"clientMsgId\":\"soak-" + i + "\",\"body\":\"again\"}");
                            String reply;
                            do {
                                reply = socket.readText();
                            } while (!reply.contains("\"ref\":\"r\""));
                            if (!reply.startsWith("{\"type\":\"sent\"")) {
                                throw new AssertionError("a reconnecting send was refused");
                            }
                        }
                        if (http.get("/api/unread", token).status() != 200) {
                            throw new AssertionError("GET /api/unread failed");
                        }
                        reconnects.incrementAndGet();
                        Thread.sleep(200);
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }, "soak-reconnecting");
            reconnecting.setDaemon(true);
            reconnecting.start();

            Thread.sleep(WARM_UP.toMillis());
            ServerResources start = ServerResources.of(server.pid());
            long sessionsAtStart = sessions(adminUrl, applicationName);
            long deadline = System.nanoTime() + LENGTH.toNanos();
            while (System.nanoTime() < deadline && failure.get() == null) {
                steady.assertHealthy();
                Thread.sleep(1_000);
            }
            stop.set(true);
            reconnecting.join(RawWebSocket.READ_TIMEOUT.toMillis() * 3);
            assertThat(failure.get()).as("the reconnecting client failed").isNull();
            steady.assertHealthy();

            awaitUntil("open files back to their level", () -> ServerResources.openFiles(server.pid()) <= start.openFiles() + 4);
            awaitUntil("threads outside the fixed pools back to their level",
                    () -> ServerResources.otherThreads(server.pid()) <= start.otherThreads() + 4);
            ServerResources end = ServerResources.of(server.pid());
            long sessionsAtEnd = sessions(adminUrl, applicationName);
            steady.close();
            System.out.println(String.format(Locale.ROOT, "SoakIT %d s: %d steady messages, %d reconnects; start: %s, "
                    + "%d database sessions; end: %s, %d database sessions%n%s", LENGTH.toSeconds(), steady.acknowledged(),
                    reconnects.get(), start, sessionsAtStart, end, sessionsAtEnd, steady.report()));
            assertThat(steady.delivered()).as("every acknowledged steady message reached the doctor")
                    .isEqualTo(steady.acknowledged());
            assertThat(sessionsAtEnd).as("PostgreSQL sessions of the server").isLessThanOrEqualTo(sessionsAtStart + 1);
            assertThat(end.heapUsedKiB()).as("heap after GC, KiB").isLessThan(start.heapUsedKiB() * 3 / 2 + 32 * 1024);
        }
    }

    private static long sessions(String adminUrl, String applicationName) throws Exception {
        try (Connection c = DriverManager.getConnection(adminUrl);
                // the pool's sessions, and the event bus's listener, which adds " event bus" to the name
                PreparedStatement count = c.prepareStatement(
                        "SELECT count(*) FROM pg_stat_activity WHERE application_name IN (?, ? || ' event bus')")) {
            count.setString(1, applicationName);
            count.setString(2, applicationName);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void awaitUntil(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 60 s: " + what);
            }
            Thread.sleep(100);
        }
    }

    private static String postgresUrl() {
        String url = System.getenv("CARECHAT_TEST_POSTGRES_URL");
        if (url == null || url.isBlank()) {
            if ("1".equals(System.getenv("CARECHAT_REQUIRE_POSTGRES"))) {
                throw new AssertionError("CARECHAT_REQUIRE_POSTGRES=1 but CARECHAT_TEST_POSTGRES_URL is not set");
            }
            Assumptions.abort("PostgreSQL not configured: set CARECHAT_TEST_POSTGRES_URL to run the soak test");
        }
        return url;
    }
}
