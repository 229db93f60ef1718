package io.carechat.examples.browser;

import static io.carechat.examples.browser.CareChatPage.testId;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.carechat.examples.DemoProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * A doctor recalls a message the patient already sees: the patient's chat shows "Message
 * recalled" in place, live, and again after a reload from history; the doctor then exports the
 * conversation as FHIR from the chat header, fetched with the bearer header and saved from a Blob
 * as a file.
 * Each in their own headless Chromium, on the demo server.
 */
class RecallLiveIT {
    private static final String DOCTOR_NAME = "Dr Meredith Grey";
    private static final String PATIENT_NAME = "Sam Patient";
    private static final String WRONG = "Your biopsy results are clear (CANARY meant for another patient)";
    private static final By RECALLED = By.cssSelector("[data-testid=message-item][data-recalled=true]");

    @TempDir
    static Path workDir;

    static DemoProcess server;

    @BeforeAll
    static void start() throws Exception {
        Browsers.assumeAvailable();
        server = DemoProcess.start(workDir, Map.of("CARECHAT_ADMIN_PASSWORD", Demo.ADMIN_PASSWORD));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @DisplayName("the doctor recalls a message with a reason; the patient sees \"Message recalled\" in place, live and after a reload; the doctor exports the chat as a FHIR Bundle")
    void recallSeenLiveByTheOtherMember() throws Exception {
        Screenshots shots = Screenshots.of(RecallLiveIT.class);
        try (CareChatPage patient = new CareChatPage("sam", workDir.resolve("sam-profile"), shots);
                CareChatPage doctor = new CareChatPage("dr.grey", workDir.resolve("grey-profile"), shots)) {
            doctor.signIn(server.baseUrl(), "dr.grey", Demo.PASSWORD);
            patient.signIn(server.baseUrl(), "sam", Demo.PASSWORD);

            patient.listItemNamed("contact-item", DOCTOR_NAME).click();
            patient.visible(testId("chat-view"));
            patient.send("Did my results come back?");

            doctor.listItemNamed("conversation-item", PATIENT_NAME).click();
            doctor.visible(testId("chat-view"));
            doctor.until("the patient's question is shown", d -> doctor.messageBodies().contains("Did my results come back?"));
            doctor.send(WRONG);
            patient.until("the wrong message arrives live", d -> patient.messageBodies().contains(WRONG));
            WebElement theirs = patient.findAll(testId("message-item")).stream()
                    .filter(e -> e.getText().contains("CANARY")).findFirst().orElseThrow();
            assertThat(theirs.findElements(testId("recall-button"))).as("no Recall on the other member's message").isEmpty();
            assertThat(patient.findAll(testId("recall-button"))).as("Recall on the patient's own recent message").hasSize(1);
            patient.screenshot("wrong-message-arrived");

            WebElement own = doctor.until("the doctor's own message is stored", d -> d.findElements(
                    By.cssSelector("[data-testid=message-item].own:not([data-pending])")).stream()
                    .filter(e -> e.getText().contains("CANARY")).findFirst().orElse(null));
            own.findElement(testId("recall-button")).click();
            WebElement reason = doctor.visible(testId("recall-reason"));
            reason.sendKeys("sent to the wrong patient");
            doctor.screenshot("recall-reason");
            doctor.find(testId("recall-confirm")).click();

            patient.until("the message shows as recalled, live", d -> !d.findElements(RECALLED).isEmpty());
            WebElement recalled = patient.find(RECALLED);
            assertThat(recalled.findElement(testId("message-recalled")).getText()).isEqualTo("Message recalled");
            assertThat(patient.messageBodies()).doesNotContain(WRONG).contains("Did my results come back?");
            patient.screenshot("recalled-live");
            doctor.until("the doctor's copy shows as recalled too", d -> !d.findElements(RECALLED).isEmpty());
            assertThat(doctor.find(RECALLED).findElements(testId("recall-button"))).as("a recalled message offers no Recall")
                    .isEmpty();
            doctor.screenshot("recalled-own");

            patient.driver().navigate().refresh();
            patient.awaitConnected();
            patient.listItemNamed("contact-item", DOCTOR_NAME).click();
            patient.until("history shows the tombstone in place", d -> !d.findElements(RECALLED).isEmpty());
            List<WebElement> items = patient.findAll(testId("message-item"));
            assertThat(items.get(items.size() - 1).getAttribute("data-recalled")).isEqualTo("true");
            assertThat(patient.driver().getPageSource()).doesNotContain("CANARY");
            patient.screenshot("recalled-after-reload");

            doctor.find(testId("fhir-export")).click();
            WebElement link = doctor.until("the export is saved", d -> d.findElements(
                    By.cssSelector("[data-testid=fhir-export-link][data-ready=true]")).stream().findFirst().orElse(null));
            String href = link.getAttribute("href");
            assertThat(href).as("a Blob, never a URL with a token").startsWith("blob:");
            Path downloads = Browsers.downloads(workDir.resolve("grey-profile"));
            Path saved = doctor.until("the export is saved as a file", d -> savedExport(downloads));
            String text = Files.readString(saved);
            JsonNode bundle = new ObjectMapper().readTree(text);
            assertThat(bundle.path("resourceType").asText()).isEqualTo("Bundle");
            List<String> statuses = new ArrayList<>();
            bundle.path("entry").forEach(e -> statuses.add(e.path("resource").path("status").asText()));
            assertThat(statuses).contains("completed", "entered-in-error");
            assertThat(text).doesNotContain("CANARY");
            doctor.screenshot("exported");

            assertThat(patient.consoleProblems()).as("sam's browser console").isEmpty();
            assertThat(doctor.consoleProblems()).as("dr.grey's browser console").isEmpty();
        }
    }

    /** The saved export, once Chrome has finished writing it, or null. */
    private static Path savedExport(Path downloads) {
        if (!Files.isDirectory(downloads)) {
            return null;
        }
        try (Stream<Path> files = Files.list(downloads)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".fhir.json"))
                    .filter(f -> {
                        try {
                            return Files.size(f) > 0;
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .findFirst().orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
