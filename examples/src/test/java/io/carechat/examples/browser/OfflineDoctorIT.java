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
import org.openqa.selenium.WebElement;

/** A doctor who is signed out while a patient writes finds everything on signing in again. */
class OfflineDoctorIT {
    private static final String DOCTOR_NAME = "Dr Miranda Bailey";
    private static final String PATIENT_NAME = "Alex Patient";
    private static final List<String> MESSAGES = List.of(
            "Hello Dr Bailey, a question about my prescription.",
            "The pharmacy says the dose changed.",
            "Is 20 mg right?");
    private static final String URGENT = "Is 20 mg right?";

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
    @DisplayName("messages written while the doctor is signed out stay undelivered, then show as badges (also after a reload), in order and with the urgent flag when she signs in")
    void doctorFindsMessagesAfterSigningIn() {
        Screenshots shots = Screenshots.of(OfflineDoctorIT.class);
        try (CareChatPage patient = new CareChatPage("alex", workDir.resolve("alex-profile"), shots);
                CareChatPage doctor = new CareChatPage("dr.bailey", workDir.resolve("bailey-profile"), shots)) {
            doctor.signIn(server.baseUrl(), "dr.bailey", Demo.PASSWORD);
            doctor.signOut();
            doctor.screenshot("signed-out");

            patient.signIn(server.baseUrl(), "alex", Demo.PASSWORD);
            WebElement bailey = patient.listItemNamed("contact-item", DOCTOR_NAME);
            patient.until("the signed-out doctor shows as offline",
                    d -> d.findElements(By.cssSelector("[data-testid=contact-item][data-user-id='"
                            + bailey.getAttribute("data-user-id") + "'] [data-presence=offline]")).size() == 1);
            bailey.click();
            patient.visible(testId("chat-view"));
            for (String body : MESSAGES) {
                if (body.equals(URGENT)) {
                    patient.find(testId("urgent-checkbox")).click();
                }
                patient.send(body);
            }
            patient.until("all three are stored (sent)", d -> d.findElements(
                    By.cssSelector("[data-testid=message-item]:not([data-pending]) [data-testid=tick][data-state=sent]")).size() == 3);
            assertThat(patient.findAll(By.cssSelector("[data-testid=tick]:not([data-state=sent])")))
                    .as("no tick claims delivery to a signed-out doctor").isEmpty();
            assertThat(patient.messageBodies()).containsExactlyElementsOf(MESSAGES);
            patient.screenshot("wrote-three-while-doctor-away");

            doctor.signInAgain("dr.bailey", Demo.PASSWORD);
            doctor.awaitText(testId("total-unread"), "3");
            WebElement conversation = doctor.listItemNamed("conversation-item", PATIENT_NAME);
            String alexId = conversation.getAttribute("data-user-id");
            doctor.awaitText(By.cssSelector("[data-testid=conversation-item][data-user-id='" + alexId
                    + "'] [data-testid=unread-badge]"), "3");
            doctor.awaitText(By.cssSelector("[data-testid=contact-item][data-user-id='" + alexId
                    + "'] [data-testid=unread-badge]"), "3");
            doctor.screenshot("signed-in-badges");

            doctor.driver().navigate().refresh();
            doctor.visible(testId("logout-button"));
            doctor.awaitConnected();
            doctor.awaitText(testId("total-unread"), "3");
            doctor.awaitText(By.cssSelector("[data-testid=conversation-item][data-user-id='" + alexId
                    + "'] [data-testid=unread-badge]"), "3");

            doctor.listItemNamed("conversation-item", PATIENT_NAME).click();
            doctor.until("the three messages are shown", d -> doctor.messageBodies().size() == 3);
            assertThat(doctor.messageBodies()).containsExactlyElementsOf(MESSAGES);
            List<Integer> seqs = doctor.findAll(testId("message-item")).stream()
                    .map(e -> Integer.valueOf(e.getAttribute("data-seq"))).toList();
            assertThat(seqs).isSorted().doesNotHaveDuplicates();
            assertThat(doctor.findAll(By.cssSelector("[data-testid=message-item][data-priority=urgent]")))
                    .as("only the message sent as urgent is flagged").singleElement()
                    .satisfies(m -> {
                        assertThat(m.findElement(testId("message-body")).getText()).isEqualTo(URGENT);
                        assertThat(m.findElement(testId("urgent-flag")).isDisplayed()).isTrue();
                    });
            doctor.awaitText(testId("total-unread"), "0");
            patient.until("the patient sees all three read", d -> d.findElements(
                    By.cssSelector("[data-testid=tick][data-state=read]")).size() == 3);
            doctor.screenshot("conversation-read");
            patient.screenshot("read-ticks");

            assertThat(patient.consoleProblems()).as("alex's browser console").isEmpty();
            assertThat(doctor.consoleProblems()).as("dr.bailey's browser console").isEmpty();
        }
    }
}
