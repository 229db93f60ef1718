package io.carechat.benchmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class E2eOptionsTest {
    @TempDir
    Path root;

    @Test
    @DisplayName("--quick picks the short preset, full is the default, and flags adjust either")
    void presetsAndFlags() {
        E2eOptions quick = E2eOptions.parse(List.of("--quick"), null, root);
        assertThat(quick.mode()).isEqualTo("quick");
        assertThat(quick.failuresToStop()).isEqualTo(1);
        E2eOptions full = E2eOptions.parse(List.of(), null, root);
        assertThat(full.mode()).isEqualTo("full");
        assertThat(full.pairs()).isEqualTo(100);
        assertThat(full.step()).isGreaterThan(quick.step());

        E2eOptions tuned = E2eOptions.parse(List.of("--quick", "--pairs", "10", "--rates", "100,200",
                "--step-seconds", "1", "--skip-socketio", "--skip-postgres"), null, root);
        assertThat(tuned.pairs()).isEqualTo(10);
        assertThat(tuned.rates()).containsExactly(100, 200);
        assertThat(tuned.step()).isEqualTo(Duration.ofSeconds(1));
        assertThat(tuned.skipSocketIo()).isTrue();
        assertThat(tuned.skipPostgres()).isTrue();
        assertThat(tuned.mode()).isEqualTo("quick");
    }

    @Test
    @DisplayName("the PostgreSQL URL comes from the flag, else CARECHAT_BENCH_POSTGRES_URL, else the local default")
    void postgresUrl() {
        assertThat(E2eOptions.parse(List.of(), null, root).postgresUrl()).isEqualTo(E2eOptions.DEFAULT_POSTGRES_URL);
        assertThat(E2eOptions.parse(List.of(), "jdbc:postgresql://db/x", root).postgresUrl())
                .isEqualTo("jdbc:postgresql://db/x");
        E2eOptions flag = E2eOptions.parse(List.of("--postgres-url", "jdbc:postgresql://other/y", "--require-postgres"),
                "jdbc:postgresql://db/x", root);
        assertThat(flag.postgresUrl()).isEqualTo("jdbc:postgresql://other/y");
        assertThat(flag.requirePostgres()).isTrue();
    }

    @Test
    @DisplayName("bad flags are refused with a message naming them")
    void badFlags() {
        assertThatThrownBy(() -> E2eOptions.parse(List.of("--fast"), null, root)).hasMessageContaining("--fast");
        assertThatThrownBy(() -> E2eOptions.parse(List.of("--pairs"), null, root)).hasMessageContaining("--pairs");
        assertThatThrownBy(() -> E2eOptions.parse(List.of("--pairs", "0"), null, root)).hasMessageContaining("--pairs");
        assertThatThrownBy(() -> E2eOptions.parse(List.of("--rates", "500,250"), null, root)).hasMessageContaining("rise");
    }

    @Test
    @DisplayName("the repository root is found from a folder inside it, and the demo jar, relay and docs under it")
    void findsRoot() throws Exception {
        Files.createDirectories(root.resolve("examples"));
        Path inside = Files.createDirectories(root.resolve("benchmarks").resolve("target"));
        assertThat(E2eOptions.findRoot(inside)).isEqualTo(root.toAbsolutePath());
        E2eOptions o = E2eOptions.parse(List.of("--quick"), null, inside);
        assertThat(o.demoJar()).isEqualTo(root.toAbsolutePath().resolve("examples/target/carechat-demo.jar"));
        assertThat(o.socketIoRelayDir()).isEqualTo(root.toAbsolutePath().resolve("benchmarks/socketio-relay"));
        assertThat(o.docsDir()).isEqualTo(root.toAbsolutePath().resolve("docs"));
        assertThat(E2eOptions.parse(List.of("--root", "/elsewhere"), null, inside).root()).isEqualTo(Path.of("/elsewhere"));
    }
}
