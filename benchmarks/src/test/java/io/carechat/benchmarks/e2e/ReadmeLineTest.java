package io.carechat.benchmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ReadmeLineTest {

    @Test
    @DisplayName("the README has exactly one line that runs the end-to-end benchmark, the quick one this code documents")
    void oneQuickLine() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("..", "README.md"));
        assertThat(lines.stream().filter(l -> l.startsWith("mvn") && l.contains("carechat-benchmarks.jar e2e")))
                .containsExactly(EndToEndBenchmark.README_LINE);
    }
}
