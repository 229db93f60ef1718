package io.carechat.examples.browser;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class BrowsersTest {
    @TempDir
    Path dir;

    @Test
    @DisplayName("a missing browser skips the browser tests, naming what to install")
    void missingBrowserSkips() {
        Path missing = dir.resolve("chromium");
        assertThatThrownBy(() -> Browsers.assumeExecutables(List.of(missing), false))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining(missing.toString()).hasMessageContaining("apt-get install chromium chromium-driver");
    }

    @Test
    @DisplayName("with CARECHAT_REQUIRE_BROWSER=1 a missing browser fails the test instead of skipping it")
    void missingBrowserFailsWhenRequired() {
        assertThatThrownBy(() -> Browsers.assumeExecutables(List.of(dir.resolve("chromedriver")), true))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("CARECHAT_REQUIRE_BROWSER=1");
    }

    @Test
    @DisplayName("present programs neither skip nor fail")
    void presentProgramsPass() {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        assertThatCode(() -> Browsers.assumeExecutables(List.of(java), true)).doesNotThrowAnyException();
    }
}
