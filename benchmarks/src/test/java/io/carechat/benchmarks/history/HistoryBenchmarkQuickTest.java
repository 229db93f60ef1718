package io.carechat.benchmarks.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The history-size benchmark's quick mode end to end on a real PostgreSQL: it loads what it says,
 * measures every call at both sizes and writes the report, the plans and the plot. Durations are
 * never asserted. Needs {@code CARECHAT_TEST_POSTGRES_URL}; skipped without it unless
 * {@code CARECHAT_REQUIRE_POSTGRES=1}.
 */
class HistoryBenchmarkQuickTest {
    @Test
    @DisplayName("quick mode loads the stated rows, measures each call at both sizes and writes report, plans and plot")
    void quickRunWritesTheReport(@TempDir Path root) throws Exception {
        String url = postgresUrl();
        HistoryOptions options = HistoryOptions.quick(root.resolve("docs"));

        HistoryBenchmark.Result result = new HistoryBenchmark(options).run(url);

        assertThat(result.sizes()).hasSize(2);
        HistorySize small = result.sizes().get(0);
        HistorySize large = result.sizes().get(1);
        int doctors = options.conversations() / options.conversationsPerDoctor();
        assertThat(small.rows()).containsEntry("users", (long) options.conversations() + doctors)
                .containsEntry("conversations", (long) options.conversations())
                .containsEntry("members", 2L * options.conversations())
                .containsEntry("messages", options.messagesAt(0));
        long sentAtSmall = (long) options.warmup() + options.samples() + 1;
        assertThat(large.rows()).containsEntry("messages", options.messagesAt(1) + sentAtSmall);
        assertThat(result.sent()).isEqualTo(2 * sentAtSmall);
        for (HistorySize size : result.sizes()) {
            for (HistoryQuery q : HistoryQuery.values()) {
                assertThat(size.latencies().get(q).samples()).isEqualTo(options.samples());
                assertThat(size.plans().get(q)).as("plans of %s", q.label()).isNotEmpty();
            }
        }
        assertThat(large.plans().get(HistoryQuery.HISTORY_PAGE))
                .anySatisfy(p -> assertThat(p.sql()).contains("FROM messages").contains("ORDER BY seq DESC"));

        String report = Files.readString(result.report());
        assertThat(report).contains("| unread total |", "| conversation list |", "| history page |", "| a send |")
                .contains("p99 at 5k", "p99 at 20k", "Execution Time", "(" + HistoryOptions.PLOT + ")");
        assertThat(Files.size(result.plot())).isPositive();
        assertThat(Files.readAllBytes(result.plot())).startsWith(0x89, 'P', 'N', 'G');
    }

    private static String postgresUrl() {
        String url = System.getenv("CARECHAT_TEST_POSTGRES_URL");
        if (url == null || url.isBlank()) {
            if ("1".equals(System.getenv("CARECHAT_REQUIRE_POSTGRES"))) {
                throw new AssertionError("CARECHAT_REQUIRE_POSTGRES=1 but CARECHAT_TEST_POSTGRES_URL is not set");
            }
            assumeTrue(false, "skipped: set CARECHAT_TEST_POSTGRES_URL to run the history benchmark's quick mode");
        }
        String unreachable = HistoryDatabase.unreachableReason(url);
        if (unreachable != null && "1".equals(System.getenv("CARECHAT_REQUIRE_POSTGRES"))) {
            throw new AssertionError("PostgreSQL at CARECHAT_TEST_POSTGRES_URL is unreachable: " + unreachable);
        }
        assumeTrue(unreachable == null, "skipped: PostgreSQL unreachable: " + unreachable);
        return url;
    }
}
