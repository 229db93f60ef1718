package io.carechat.benchmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class P99PlotTest {

    @Test
    @DisplayName("the plot is a PNG drawn headless, with every system's line")
    void writesPng(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("plot.png");
        P99Plot.write(ReportMarkdownTest.report().systems(), Duration.ofMillis(50), "test plot", file);
        BufferedImage image = ImageIO.read(file.toFile());
        assertThat(image).isNotNull();
        assertThat(image.getWidth()).isGreaterThan(800);
    }

    @Test
    @DisplayName("log-scale ticks fall on 1-2-5 steps inside the range")
    void ticks() {
        assertThat(P99Plot.ticks(100, 20_000, new double[] {1, 2, 5}))
                .containsExactly(100.0, 200.0, 500.0, 1000.0, 2000.0, 5000.0, 10_000.0, 20_000.0);
        assertThat(P99Plot.ticks(0.1, 1000, new double[] {1, 10, 100})).contains(0.1, 1.0, 10.0, 100.0, 1000.0);
    }
}
