package io.carechat.examples.browser;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Starts Debian's headless Chromium through Debian's chromedriver for the browser tests. Both paths
 * are given to Selenium explicitly, so Selenium Manager never runs and nothing is downloaded.
 *
 * <p>When either binary is missing the test is skipped with a message, unless the environment sets
 * {@code CARECHAT_REQUIRE_BROWSER=1} (as CI does), in which case it fails.
 */
final class Browsers {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    /**
     * Selenium looks for a DevTools binding matching Chromium's version and warns when the newest
     * it ships is older; these tests use WebDriver only, so that warning is noise. Held here so the
     * logger (and its level) is not garbage collected.
     */
    private static final Logger DEVTOOLS_LOG = Logger.getLogger("org.openqa.selenium.devtools");

    private Browsers() {}

    /** Skips (or, with {@code CARECHAT_REQUIRE_BROWSER=1}, fails) when Chromium or chromedriver is missing. */
    static void assumeAvailable() {
        assumeExecutables(List.of(CHROMIUM, CHROMEDRIVER), "1".equals(System.getenv("CARECHAT_REQUIRE_BROWSER")));
    }

    /**
     * Skips the test when one of the programs is missing, or fails it when they are required.
     *
     * @param programs the programs the test runs
     * @param required whether a missing program is a failure rather than a reason to skip
     */
    static void assumeExecutables(List<Path> programs, boolean required) {
        List<Path> missing = programs.stream().filter(p -> !Files.isExecutable(p)).toList();
        if (missing.isEmpty()) {
            return;
        }
        String message = "browser tests need Debian's chromium and chromium-driver; missing: " + missing
                + " (apt-get install chromium chromium-driver)";
        if (required) {
            fail(message + "; CARECHAT_REQUIRE_BROWSER=1 forbids skipping");
        }
        Assumptions.abort(message);
    }

    /**
     * Where the browser with this profile saves downloads.
     *
     * @param profileDir the profile folder given to {@link #open(Path)}
     * @return the download folder
     */
    static Path downloads(Path profileDir) {
        return profileDir.toAbsolutePath().resolve("downloads");
    }

    /**
     * Opens a new headless browser with its own fresh profile (so its own sessionStorage).
     *
     * @param profileDir an empty folder for the profile
     * @return the driver; the caller quits it
     */
    static ChromeDriver open(Path profileDir) {
        DEVTOOLS_LOG.setLevel(Level.SEVERE);
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--no-first-run", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profileDir.toAbsolutePath(), "--window-size=1280,900");
        options.setExperimentalOption("prefs", Map.of("download.prompt_for_download", false,
                "download.default_directory", downloads(profileDir).toString()));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .withTimeout(Duration.ofSeconds(30))
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1280, 900));
        return driver;
    }

}
