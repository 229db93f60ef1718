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

@DisplayName("The running demo server audits a flood of identical refusals as a few events with counts")
class AuditAggregationIT {
    private static final String ADMIN_PASSWORD = "chain-of-counts-root-passphrase";
    private static final int BAD_TOKENS = 50;

    @TempDir
    static Path workDir;

    static DemoProcess server;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        server = DemoProcess.start(workDir, Map.of("CARECHAT_ADMIN_PASSWORD", ADMIN_PASSWORD,
                "CARECHAT_AUDIT_REFUSAL_WINDOW_SECONDS", "2"));
        http = new Http(server.baseUrl());
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @DisplayName("50 requests with one bad token become far fewer token.rejected events whose counts add up to 50, and the chain verifies with its segments")
    void badTokensAreAggregated() throws Exception {
        for (int i = 0; i < BAD_TOKENS; i++) {
            assertThat(http.get("/api/me", "not-a-token").status()).isEqualTo(401);
        }
        String admin = http.login("admin", ADMIN_PASSWORD);
        List<JsonNode> rejected = rejectedEvents(admin);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (sumOfCounts(rejected) < BAD_TOKENS && System.nanoTime() < deadline) {
            Thread.sleep(200); // the aggregate is kept when its 2-second window ends
            rejected = rejectedEvents(admin);
        }
        assertThat(sumOfCounts(rejected)).as("every refusal is accounted for").isEqualTo(BAD_TOKENS);
        assertThat(rejected).as("a few events, not one per refusal").hasSizeLessThanOrEqualTo(BAD_TOKENS / 5);
        assertThat(rejected).anySatisfy(e -> assertThat(e.path("count").asInt()).isGreaterThan(1));

        JsonNode verify = http.get("/api/admin/audit/verify", admin).body();
        assertThat(verify.path("valid").asBoolean()).isTrue();
        assertThat(verify.path("segments")).isNotEmpty();
        JsonNode last = verify.path("segments").get(verify.path("segments").size() - 1);
        assertThat(last.path("keyed").asBoolean()).as("new events are keyed").isTrue();
        assertThat(last.path("last").asLong()).isEqualTo(verify.path("checked").asLong());
    }

    private static List<JsonNode> rejectedEvents(String admin) {
        Http.Answer page = http.get("/api/admin/audit?action=token.rejected", admin);
        assertThat(page.status()).isEqualTo(200);
        List<JsonNode> events = new ArrayList<>();
        page.body().path("events").forEach(events::add);
        return events;
    }

    private static int sumOfCounts(List<JsonNode> events) {
        return events.stream().mapToInt(e -> e.path("count").asInt()).sum();
    }
}
