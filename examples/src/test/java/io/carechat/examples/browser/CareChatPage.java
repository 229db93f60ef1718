package io.carechat.examples.browser;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One person's browser on the CareChat web UI, found through the {@code data-testid} hooks of
 * {@code examples/TESTING.md}. Every wait is bounded; no method sleeps for a fixed time.
 */
final class CareChatPage implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final String who;
    private final ChromeDriver driver;
    private final WebDriverWait wait;
    private final Screenshots screenshots;

    CareChatPage(String who, Path profileDir, Screenshots screenshots) {
        this.who = who;
        this.driver = Browsers.open(profileDir);
        this.wait = new WebDriverWait(driver, WAIT, Duration.ofMillis(100));
        // a poll that read an element the page re-rendered meanwhile is not an answer: poll again
        this.wait.ignoring(StaleElementReferenceException.class);
        this.screenshots = screenshots;
    }

    static By testId(String id) {
        return By.cssSelector("[data-testid='" + id + "']");
    }

    WebDriver driver() {
        return driver;
    }

    /** Opens the UI and signs in; returns once the socket is ready and the lists are filled. */
    CareChatPage signIn(String baseUrl, String login, String password) {
        driver.get(baseUrl + "/");
        return signInAgain(login, password);
    }

    /** Signs in on the login form already shown. */
    CareChatPage signInAgain(String login, String password) {
        WebElement input = visible(testId("login-input"));
        input.clear();
        input.sendKeys(login);
        find(testId("password-input")).sendKeys(password);
        find(testId("login-button")).click();
        visible(testId("logout-button"));
        awaitConnected();
        return this;
    }

    /** Waits until the WebSocket is ready (the banner is hidden) and the first lists have arrived. */
    void awaitConnected() {
        until("the socket is ready", d -> !d.findElement(testId("reconnect-banner")).isDisplayed()
                && !d.findElements(By.cssSelector("[data-testid=contact-item], [data-testid=request-item], "
                        + "[data-testid=user-row]")).isEmpty());
    }

    void signOut() {
        find(testId("logout-button")).click();
        visible(testId("login-form"));
    }

    WebElement find(By by) {
        return driver.findElement(by);
    }

    List<WebElement> findAll(By by) {
        return driver.findElements(by);
    }

    WebElement visible(By by) {
        return until(by + " is visible", d -> {
            List<WebElement> found = d.findElements(by);
            return found.stream().filter(WebElement::isDisplayed).findFirst().orElse(null);
        });
    }

    /**
     * Waits for a condition to be truthy (non-null, not false), naming it in the timeout message;
     * on a timeout, a screenshot of the moment is saved too.
     */
    <T> T until(String what, Function<WebDriver, T> condition) {
        try {
            return wait.withMessage(() -> who + ": " + what).until(condition);
        } catch (TimeoutException e) {
            screenshot("FAILED-waiting");
            throw e;
        }
    }

    /** The text of an element found again on every poll, so re-rendering never makes it stale. */
    void awaitText(By by, String expected) {
        until(by + " has text '" + expected + "'", d -> {
            List<WebElement> found = d.findElements(by);
            return !found.isEmpty() && found.get(0).getText().trim().equals(expected);
        });
    }

    String text(By by) {
        return find(by).getText().trim();
    }

    /** The contact or conversation button for a user, found by the name the list shows. */
    WebElement listItemNamed(String testid, String name) {
        return until(testid + " named " + name, d -> d.findElements(testId(testid)).stream()
                .filter(e -> e.findElement(By.className("entity-name")).getText().trim().equals(name))
                .findFirst().orElse(null));
    }

    /** Types into the composer and presses Enter, which sends. */
    void send(String body) {
        WebElement composer = visible(testId("composer-input"));
        composer.sendKeys(body);
        composer.sendKeys("\n");
    }

    /** The bodies of the messages of the open chat, top to bottom. */
    List<String> messageBodies() {
        return findAll(By.cssSelector("[data-testid=message-item] [data-testid=message-body]")).stream()
                .map(e -> e.getText().trim()).toList();
    }

    /** Saves a PNG of the window for a person to look at; see {@link Screenshots}. */
    Path screenshot(String step) {
        return screenshots.save(who + "-" + step, driver.getScreenshotAs(OutputType.BYTES));
    }

    /** Console entries at warning level or above, e.g. script errors or failed requests. */
    List<String> consoleProblems() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue())
                .map(LogEntry::toString).toList();
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
