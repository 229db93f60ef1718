package io.carechat.benchmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the benchmark treats a PostgreSQL that does not answer; uses a closed loopback port only. */
class PostgresSkipTest {
    private static final String NOBODY_LISTENS = "jdbc:postgresql://127.0.0.1:1/none?user=nobody&connectTimeout=2";

    @Test
    @DisplayName("an unreachable PostgreSQL is reported with the reason, so the run can skip it with a message")
    void unreachableHasReason() {
        assertThat(PostgresSchema.unreachableReason(NOBODY_LISTENS)).isNotBlank();
    }

    @Test
    @DisplayName("with --require-postgres an unreachable PostgreSQL fails the run before anything starts")
    void requiredFails(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("examples/target"));
        Files.createDirectories(root.resolve("benchmarks"));
        Files.writeString(root.resolve("examples/target/carechat-demo.jar"), "not started in this test");
        int exit = EndToEndBenchmark.run(List.of("--quick", "--require-postgres", "--postgres-url", NOBODY_LISTENS,
                "--root", root.toString()));
        assertThat(exit).isEqualTo(1);
        assertThat(root.resolve("docs")).doesNotExist();
    }

    @Test
    @DisplayName("the URL printed in messages leaves out the query, where credentials may be")
    void redactsQuery() {
        assertThat(EndToEndBenchmark.redacted("jdbc:postgresql://db:5432/x?user=u&password=secret"))
                .isEqualTo("jdbc:postgresql://db:5432/x");
    }
}
