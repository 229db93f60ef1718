package io.carechat.examples.browser;

import static io.carechat.examples.browser.CareChatPage.testId;
import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.examples.DemoProcess;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;

/** A patient and a doctor chatting live, each in their own headless Chromium, on the demo server. */
class LiveChatIT {
    private static final String DOCTOR_NAME = "Dr Meredith Grey";
    private static final String PATIENT_NAME = "Sam Patient";

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
    @DisplayName("a patient writes to a doctor who sees the badges rise live, reads it (ticks: delivered, then read) and answers live, typing shown; at phone width the chat takes the screen")
    void patientAndDoctorChatLive() {
        Screenshots shots = Screenshots.of(LiveChatIT.class);
        try (CareChatPage patient = new CareChatPage("sam", workDir.resolve("sam-profile"), shots);
                CareChatPage doctor = new CareChatPage("dr.grey", workDir.resolve("grey-profile"), shots)) {
            doctor.signIn(server.baseUrl(), "dr.grey", Demo.PASSWORD);
            patient.signIn(server.baseUrl(), "sam", Demo.PASSWORD);
            doctor.awaitText(testId("total-unread"), "0");
            doctor.screenshot("signed-in");

            patient.listItemNamed("contact-item", DOCTOR_NAME).click();
            patient.visible(testId("chat-view"));
            patient.awaitText(By.id("chat-title"), DOCTOR_NAME);
            patient.send("Good morning, my knee still hurts.");
            patient.until("the first message is delivered to the online doctor",
                    d -> d.findElements(By.cssSelector("[data-testid=message-item]:not([data-pending]) [data-testid=tick][data-state=delivered]")).size() == 1);
            patient.screenshot("sent-delivered");

            doctor.awaitText(testId("total-unread"), "1");
            WebElement conversation = doctor.listItemNamed("conversation-item", PATIENT_NAME);
            String samId = conversation.getAttribute("data-user-id");
            By samBadge = By.cssSelector("[data-testid=conversation-item][data-user-id='" + samId + "'] [data-testid=unread-badge]");
            doctor.awaitText(samBadge, "1");

            patient.send("It is swollen since yesterday.");
            doctor.awaitText(testId("total-unread"), "2");
            doctor.awaitText(samBadge, "2");
            doctor.awaitText(By.cssSelector("[data-testid=contact-item][data-user-id='" + samId + "'] [data-testid=unread-badge]"), "2");
            doctor.screenshot("badges-rose");

            doctor.listItemNamed("conversation-item", PATIENT_NAME).click();
            doctor.visible(testId("chat-view"));
            doctor.until("both messages shown", d -> doctor.messageBodies().size() == 2);
            assertThat(doctor.messageBodies())
                    .containsExactly("Good morning, my knee still hurts.", "It is swollen since yesterday.");
            doctor.awaitText(testId("total-unread"), "0");
            doctor.until("the conversation badge is hidden", d -> !d.findElement(samBadge).isDisplayed());
            patient.until("both ticks show read", d -> d.findElements(
                    By.cssSelector("[data-testid=tick][data-state=read]")).size() == 2);
            patient.screenshot("read-ticks");
            doctor.screenshot("conversation-open");

            WebElement composer = doctor.visible(testId("composer-input"));
            composer.sendKeys("Please keep it raised");
            patient.until("the typing indicator names the doctor", d -> {
                WebElement typing = d.findElement(testId("typing-indicator"));
                return typing.isDisplayed() && typing.getText().contains(DOCTOR_NAME);
            });
            patient.screenshot("doctor-typing");
            composer.sendKeys(" and come in at 3pm.\n");

            String answer = "Please keep it raised and come in at 3pm.";
            patient.until("the answer arrives live", d -> patient.messageBodies().contains(answer));
            List<WebElement> items = patient.findAll(testId("message-item"));
            assertThat(items.get(items.size() - 1).getAttribute("data-sender-id")).isNotEqualTo(samId);
            patient.until("the typing indicator is gone", d -> !d.findElement(testId("typing-indicator")).isDisplayed());
            patient.awaitText(testId("total-unread"), "0");
            doctor.until("the doctor's answer is read by the patient who is looking at the chat", d -> d.findElements(
                    By.cssSelector("[data-testid=tick][data-state=read]")).size() == 1);
            patient.screenshot("answer-received");
            doctor.screenshot("answer-read");

            patient.driver().manage().window().setSize(new Dimension(390, 844));
            patient.visible(testId("back-button"));
            assertThat(patient.find(testId("contact-list")).isDisplayed()).as("phone width shows one column").isFalse();
            patient.screenshot("phone-width-chat");
            patient.find(testId("back-button")).click();
            patient.listItemNamed("contact-item", DOCTOR_NAME);
            patient.screenshot("phone-width-doctors");

            assertThat(patient.consoleProblems()).as("sam's browser console").isEmpty();
            assertThat(doctor.consoleProblems()).as("dr.grey's browser console").isEmpty();
        }
    }
}
