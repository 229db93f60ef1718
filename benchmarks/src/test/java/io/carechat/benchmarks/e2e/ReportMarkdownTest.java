package io.carechat.benchmarks.e2e;

import static io.carechat.benchmarks.e2e.RateSearchTest.step;
import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.benchmarks.Measurement;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ReportMarkdownTest {

    static RunReport report() {
        List<SystemRun> systems = List.of(
                new SystemRun(SystemKind.CARECHAT_H2, List.of(step(1000, 5), step(2000, 9), step(4000, 300)), null,
                        "the first rate not held", 12),
                new SystemRun(SystemKind.CARECHAT_POSTGRES, List.of(step(1000, 8), step(2000, 200)), null,
                        "the first rate not held", 0),
                new SystemRun(SystemKind.SOCKET_IO_RELAY, List.of(step(1000, 2), step(4000, 3), step(8000, 400)), null,
                        "the first rate not held", 0),
                new SystemRun(SystemKind.JAVA_WEBSOCKET_RELAY, List.of(step(4000, 2), step(8000, 3)), null,
                        "every rate was tried", 0));
        List<StorageRatio> storage = List.of(
                new StorageRatio("H2 (file)", new Measurement("send", 3000, Duration.ofSeconds(1)),
                        new Measurement("ceiling", 10000, Duration.ofSeconds(1)), null),
                new StorageRatio("PostgreSQL", null, null, "unreachable"));
        return new RunReport(E2eOptions.quick(Path.of("/repo")), "2 cores, 24.0 GiB memory, Linux, JDK 17",
                Instant.parse("2026-01-02T03:04:05Z"), Duration.ofSeconds(118), systems, storage,
                List.of("PostgreSQL skipped: unreachable"), "benchmarks-p99.png");
    }

    @Test
    @DisplayName("the summary has CareChat's rate as ratios to the Socket.IO and Java-WebSocket relays")
    void ratioColumns() {
        String md = ReportMarkdown.render(report(), "");
        assertThat(md).contains("| system | highest rate held (msg/s) | ÷ Socket.IO relay | ÷ Java-WebSocket relay |")
                .contains("| CareChat on H2 (file) | 2,000 | 0.50 | 0.25 |")
                .contains("| CareChat on PostgreSQL | 1,000 | 0.25 | 0.13 |")
                .contains("| Java-WebSocket relay | ≥ 8,000 | 2.00 | 1.00 |");
    }

    @Test
    @DisplayName("the machine, the JDK, the storage ratio, the plot and the targets measured against are all there")
    void sections() {
        String md = ReportMarkdown.render(report(), "");
        assertThat(md).contains("2 cores, 24.0 GiB memory, Linux, JDK 17")
                .contains("| H2 (file) | 3000 | 10000 | 0.30 |")
                .contains("| PostgreSQL | skipped | | |")
                .contains("![Receiver p99 latency against offered rate, one line per system](benchmarks-p99.png)")
                .contains("| CareChat on H2 (file): ≥ 4,000 msg/s at receiver p99 < 50 ms | 2,000 | **no** |")
                .contains("| CareChat on H2 (file): ≥ 0.5 × the Socket.IO relay's rate | 0.50 | yes |")
                .contains("| in-process send on H2 (file): ≥ 0.5 × the batched-INSERT ceiling | 0.30 | **no** |")
                .contains("| in-process send on PostgreSQL: ≥ 0.5 × the batched-INSERT ceiling | not run | unknown |")
                .contains("- PostgreSQL skipped: unreachable")
                .contains("12 messages arrived after their step had ended");
    }

    @Test
    @DisplayName("each step row says whether the generator kept its schedule, and flags it when it fell behind")
    void generatorFlag() {
        assertThat(ReportMarkdown.generator(step(1000, 5))).isEqualTo("on schedule (max lag 2.0 ms)");
        StepResult behind = new StepResult(1000, 3000, 3000, 0, 1, 1, 1, 1, 150, 73_000);
        assertThat(ReportMarkdown.generator(behind)).isEqualTo("**fell behind** by up to 73 ms, 5.0% of sends late");
    }

    @Test
    @DisplayName("profile notes written by hand survive a re-run; a new file gets the marked placeholder")
    void keepsProfileNotes() {
        String first = ReportMarkdown.render(report(), "");
        assertThat(first).contains(ReportMarkdown.NOTES_START + "\n" + ReportMarkdown.NOTES_PLACEHOLDER + "\n"
                + ReportMarkdown.NOTES_END);
        String edited = first.replace(ReportMarkdown.NOTES_PLACEHOLDER, "Flame graph: 60% in the audit hash chain.");
        String second = ReportMarkdown.render(report(), edited);
        assertThat(second).contains("Flame graph: 60% in the audit hash chain.")
                .doesNotContain(ReportMarkdown.NOTES_PLACEHOLDER);
    }

    @Test
    @DisplayName("skipped systems and systems without a measured rate are reported as such")
    void skipped() {
        RunReport base = report();
        RunReport some = new RunReport(base.options(), base.machine(), base.started(), base.took(),
                List.of(SystemRun.skipped(SystemKind.SOCKET_IO_RELAY, "node is not installed"),
                        new SystemRun(SystemKind.CARECHAT_H2, List.of(), null, "the time budget was spent", 0)),
                base.storage(), List.of(), base.plotFile());
        String md = ReportMarkdown.render(some, "");
        assertThat(md).contains("| Socket.IO 4 relay (Node.js) | skipped | | |")
                .contains("Skipped: node is not installed")
                .contains("No rate was measured: the time budget was spent.")
                .contains("| CareChat on H2 (file): ≥ 0.5 × the Socket.IO relay's rate | not run | unknown |");
    }
}
