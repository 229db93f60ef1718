package io.carechat.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
 * The background jobs of the running demo jar, scheduled every second here
 * ({@code CARECHAT_RETENTION_INTERVAL}, {@code CARECHAT_KEY_ROTATION_INTERVAL}), and their status at
 * {@code GET /api/admin/jobs}.
 */
class BackgroundJobsIT {
    private static final String ADMIN_PASSWORD = "integration-root-passphrase";

    @TempDir
    static Path workDir;

    static DemoProcess server;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        server = DemoProcess.start(workDir, Map.of("CARECHAT_ADMIN_PASSWORD", ADMIN_PASSWORD,
                "CARECHAT_RETENTION_INTERVAL", "PT1S", "CARECHAT_KEY_ROTATION_INTERVAL", "PT1S"));
        http = new Http(server.baseUrl());
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @DisplayName("the job status is for admins only: 401 without a token, 403 for a patient and a doctor")
    void adminsOnly() {
        assertThat(http.get("/api/admin/jobs", null).status()).isEqualTo(401);
        assertThat(http.get("/api/admin/jobs", http.login("alex", Seeding.DEMO_PASSWORD)).status()).isEqualTo(403);
        assertThat(http.get("/api/admin/jobs", http.login("dr.grey", Seeding.DEMO_PASSWORD)).status()).isEqualTo(403);
    }

    @Test
    @DisplayName("both jobs run by themselves, and the admin sees each one's interval, last run and outcome")
    void jobsRunAndShow() throws Exception {
        String admin = http.login("admin", ADMIN_PASSWORD);
        List<String> completed = new ArrayList<>();
        JsonNode jobs = null;
        for (int attempt = 0; attempt < 300 && completed.size() < 2; attempt++) {
            Http.Answer answer = http.get("/api/admin/jobs", admin);
            assertThat(answer.status()).isEqualTo(200);
            jobs = answer.body().path("jobs");
            completed.clear();
            for (JsonNode job : jobs) {
                if ("OK".equals(job.path("outcome").asText()) && !job.path("lastEndedAt").isNull()) {
                    completed.add(job.path("name").asText());
                }
            }
            Thread.sleep(100);
        }

        assertThat(completed).containsExactlyInAnyOrder("retention", "key-rotation");
        for (JsonNode job : jobs) {
            assertThat(job.path("intervalSeconds").asLong()).isEqualTo(1);
            assertThat(job.path("lastStartedAt").asText()).isNotEmpty();
            assertThat(job.path("errorKind").isNull()).isTrue();
            assertThat(job.path("processed").asLong()).isNotNegative();
        }
    }
}
