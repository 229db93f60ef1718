package io.carechat.examples.browser;

import static io.carechat.examples.browser.CareChatPage.testId;
import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.examples.DemoProcess;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * A doctor who is not a member breaks the glass on a patient's conversation: the reason form, the
 * banner with the time left, reading and replying live, the banner's end; and the patient's access
 * log showing it. Grants last {@value #GRANT_SECONDS} seconds here (the test-only
 * {@code CARECHAT_BREAK_GLASS_SECONDS}).
 */
class BreakGlassBrowserIT {
    private static final int GRANT_SECONDS = 45;
    private static final String GREY = "Dr Meredith Grey";
    private static final String BAILEY = "Dr Miranda Bailey";

    @TempDir
    static Path workDir;

    static DemoProcess server;

    @BeforeAll
    static void start() throws Exception {
        Browsers.assumeAvailable();
        server = DemoProcess.start(workDir, Map.of("CARECHAT_ADMIN_PASSWORD", Demo.ADMIN_PASSWORD,
                "CARECHAT_BREAK_GLASS_SECONDS", Integer.toString(GRANT_SECONDS)));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @DisplayName("a doctor breaks the glass with a reason, sees the banner with the time left, reads and replies live"
            + " until it ends; the patient's access log shows who, role, when and the ground")
    void breakGlassWithBannerAndAccessLog() throws InterruptedException {
        Screenshots shots = Screenshots.of(BreakGlassBrowserIT.class);
        try (CareChatPage patient = new CareChatPage("alex", workDir.resolve("alex-profile"), shots);
                CareChatPage doctor = new CareChatPage("bailey", workDir.resolve("bailey-profile"), shots);
                CareChatPage admin = new CareChatPage("admin", workDir.resolve("admin-profile"), shots)) {
            admin.signIn(server.baseUrl(), "admin", Demo.ADMIN_PASSWORD);
            patient.signIn(server.baseUrl(), "alex", Demo.PASSWORD);
            patient.listItemNamed("contact-item", GREY).click();
            patient.send("I have chest pain since this morning");
            patient.until("the message is stored", d -> !d.findElements(
                    By.cssSelector("[data-testid=message-item] [data-testid=message-body]")).isEmpty());
            String conversationId = patient.find(testId("chat-view")).getAttribute("data-conversation-id");
            assertThat(conversationId).isNotBlank();

            doctor.signIn(server.baseUrl(), "dr.bailey", Demo.PASSWORD);
            doctor.find(testId("break-glass-toggle")).click();
            doctor.visible(testId("break-glass-conversation")).sendKeys(conversationId);
            doctor.find(testId("break-glass-reason")).sendKeys("short");
            doctor.find(testId("break-glass-submit")).click();
            doctor.until("a short reason is refused", d -> d.findElement(testId("error-region")).isDisplayed()
                    && d.findElement(testId("error-region")).getText().contains("at least 10"));
            assertThat(doctor.findAll(testId("chat-view")).get(0).isDisplayed()).isFalse();
            doctor.screenshot("reason-too-short");

            WebElement reason = doctor.find(testId("break-glass-reason"));
            reason.clear();
            reason.sendKeys("Patient collapsed in the ER, need her recent messages");
            doctor.screenshot("reason-given");
            doctor.find(testId("break-glass-submit")).click();

            WebElement banner = doctor.visible(testId("break-glass-banner"));
            assertThat(banner.getText()).contains("Emergency access").contains("left");
            doctor.until("the history is shown", d -> doctor.messageBodies()
                    .contains("I have chest pain since this morning"));
            assertThat(doctor.text(By.id("chat-title"))).contains(GREY).contains("Alex Patient");
            doctor.screenshot("break-glass-banner");
            admin.until("the admin is told live", d -> d.findElements(testId("break-glass-alert")).stream()
                    .anyMatch(e -> e.getText().contains(BAILEY) && e.getText().contains(conversationId)
                            && e.getText().contains("Reason: Patient collapsed in the ER")));
            admin.screenshot("break-glass-notice");

            doctor.send("Dr Bailey here, I am on my way");
            patient.until("the doctor's reply arrives live", d -> patient.messageBodies()
                    .contains("Dr Bailey here, I am on my way"));
            patient.send("Thank you, I am in room 4");
            doctor.until("the patient's answer arrives live", d -> doctor.messageBodies()
                    .contains("Thank you, I am in room 4"));
            doctor.screenshot("replying-under-break-glass");

            patient.find(testId("access-log-refresh")).click();
            patient.until("the access log shows the break-glass", d -> d.findElements(
                    By.cssSelector("[data-testid=access-log-row][data-ground=break_glass]")).size() >= 2);
            List<WebElement> rows = patient.findAll(testId("access-log-row"));
            assertThat(rows.get(0).getText()).contains(BAILEY).contains("Doctor").contains("Emergency access");
            assertThat(rows).noneSatisfy(row -> assertThat(row.getText()).contains("Alex Patient"));
            assertThat(rows).noneSatisfy(row -> assertThat(row.getText()).contains("chest pain"));
            patient.script("arguments[0].scrollIntoView()", patient.find(testId("access-log")));
            patient.screenshot("access-log");

            Instant giveUp = Instant.now().plusSeconds(GRANT_SECONDS * 4L);
            while (!doctor.find(testId("break-glass-banner")).getAttribute("class").contains("ended")) {
                assertThat(Instant.now()).as("the banner ends").isBefore(giveUp);
                Thread.sleep(500);
            }
            assertThat(doctor.text(testId("break-glass-banner"))).contains("ended");
            assertThat(doctor.find(testId("composer-input")).isEnabled()).isFalse();
            assertThat(doctor.messageBodies()).as("what was read under the grant leaves the screen").isEmpty();
            doctor.screenshot("break-glass-ended");

            assertThat(patient.consoleProblems()).as("the patient's browser console").isEmpty();
            assertThat(admin.consoleProblems()).as("the admin's browser console").isEmpty();
            assertThat(doctor.consoleProblems()).as("the doctor's browser console")
                    .allSatisfy(p -> assertThat(p).contains("break-glass").contains("400"));
        }
    }
}
