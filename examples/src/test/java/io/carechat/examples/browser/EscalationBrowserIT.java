package io.carechat.examples.browser;

import static io.carechat.examples.browser.CareChatPage.testId;
import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.examples.DemoProcess;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * Urgent escalation in the browser: the admin puts a doctor on call on the dashboard, a patient's
 * urgent message stays unread, and the on-call doctor is alerted live, opens the conversation and
 * sees the message marked as escalated, as the patient does. Messages escalate after
 * {@value #ESCALATION_SECONDS} seconds here ({@code CARECHAT_ESCALATION_SECONDS}).
 */
class EscalationBrowserIT {
    private static final int ESCALATION_SECONDS = 3;
    private static final String GREY = "Dr Meredith Grey";
    private static final String BAILEY = "Dr Miranda Bailey";
    private static final String URGENT = "I feel faint and my heart is racing";

    @TempDir
    static Path workDir;

    static DemoProcess server;

    @BeforeAll
    static void start() throws Exception {
        Browsers.assumeAvailable();
        server = DemoProcess.start(workDir, Map.of("CARECHAT_ADMIN_PASSWORD", Demo.ADMIN_PASSWORD,
                "CARECHAT_ESCALATION_SECONDS", Integer.toString(ESCALATION_SECONDS),
                "CARECHAT_ESCALATION_SCAN_SECONDS", "1"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @DisplayName("the admin sets the on-call roster; a patient's unread urgent message alerts the on-call doctor live,"
            + " who opens the conversation and sees the message marked escalated, as the patient does")
    void onCallDoctorReceivesEscalatedConversation() {
        Screenshots shots = Screenshots.of(EscalationBrowserIT.class);
        try (CareChatPage admin = new CareChatPage("admin", workDir.resolve("admin-profile"), shots);
                CareChatPage onCall = new CareChatPage("bailey", workDir.resolve("bailey-profile"), shots);
                CareChatPage patient = new CareChatPage("alex", workDir.resolve("alex-profile"), shots)) {
            admin.signIn(server.baseUrl(), "admin", Demo.ADMIN_PASSWORD);
            admin.awaitText(testId("on-call-current"), "Nobody is on call.");
            WebElement baileyBox = admin.until("the doctors are listed", d -> d.findElements(testId("on-call-list"))
                    .stream().flatMap(list -> list.findElements(By.tagName("li")).stream())
                    .filter(li -> li.getText().contains(BAILEY)).findFirst()
                    .map(li -> li.findElement(testId("on-call-checkbox"))).orElse(null));
            assertThat(admin.find(testId("on-call-list")).getText()).contains(GREY).doesNotContain("Alex Patient");
            baileyBox.click();
            admin.find(testId("on-call-save")).click();
            admin.awaitText(testId("on-call-current"), "On call now: " + BAILEY + ".");
            admin.script("arguments[0].scrollIntoView()", admin.find(testId("admin-on-call")));
            admin.screenshot("on-call-roster");

            onCall.signIn(server.baseUrl(), "dr.bailey", Demo.PASSWORD);
            patient.signIn(server.baseUrl(), "alex", Demo.PASSWORD);
            patient.listItemNamed("contact-item", GREY).click();
            patient.visible(testId("chat-view"));
            patient.visible(testId("urgent-checkbox")).click();
            patient.send(URGENT);
            patient.until("the urgent message is stored", d -> !d.findElements(
                    By.cssSelector("[data-testid=message-item][data-priority=urgent][data-seq]")).isEmpty());

            WebElement alert = onCall.visible(testId("escalation-alert"));
            onCall.until("the alert names the patient", d -> alert.getText().contains("Alex Patient"));
            onCall.screenshot("escalation-alert");
            alert.findElement(testId("escalation-open")).click();
            onCall.until("the escalated message is shown", d -> onCall.messageBodies().contains(URGENT));
            onCall.until("the message is marked escalated", d -> !d.findElements(
                    By.cssSelector("[data-testid=message-item][data-priority=urgent] [data-testid=escalated-flag]")).isEmpty());
            assertThat(onCall.text(By.id("chat-title"))).contains("Alex Patient");
            onCall.screenshot("escalated-conversation");

            patient.until("the patient sees the mark too", d -> !d.findElements(
                    By.cssSelector("[data-testid=message-item] [data-testid=escalated-flag]")).isEmpty());
            patient.screenshot("patient-sees-escalated");

            onCall.send("Dr Bailey, on call: I am calling you now");
            patient.until("the on-call doctor's reply arrives live", d -> patient.messageBodies()
                    .contains("Dr Bailey, on call: I am calling you now"));

            assertThat(admin.consoleProblems()).as("the admin's browser console").isEmpty();
            assertThat(onCall.consoleProblems()).as("the on-call doctor's browser console").isEmpty();
            assertThat(patient.consoleProblems()).as("the patient's browser console").isEmpty();
        }
    }
}
