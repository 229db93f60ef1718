package io.carechat.examples.browser;

import static io.carechat.examples.browser.CareChatPage.testId;
import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.examples.DemoProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** A patient attaches an image; the doctor downloads exactly the same bytes. */
class AttachmentRoundTripIT {
    private static final String DOCTOR_NAME = "Dr Meredith Grey";
    private static final String PATIENT_NAME = "Sam Patient";
    private static final byte[] PNG = Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

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
    @DisplayName("an image a patient attaches reaches the doctor as a link that downloads the very same bytes")
    void attachmentRoundTrip() throws IOException {
        Path file = Files.write(workDir.resolve("knee-scan.png"), PNG);
        Path doctorProfile = workDir.resolve("grey-profile");
        Screenshots shots = Screenshots.of(AttachmentRoundTripIT.class);
        try (CareChatPage patient = new CareChatPage("sam", workDir.resolve("sam-profile"), shots);
                CareChatPage doctor = new CareChatPage("dr.grey", doctorProfile, shots)) {
            patient.signIn(server.baseUrl(), "sam", Demo.PASSWORD);
            patient.listItemNamed("contact-item", DOCTOR_NAME).click();
            patient.visible(testId("chat-view"));
            patient.find(testId("attach-input")).sendKeys(file.toAbsolutePath().toString());
            patient.visible(By.cssSelector("[data-testid=draft-attachment]:not(.uploading)"));
            patient.send("The scan of my knee.");
            patient.until("the message with its attachment is stored", d -> d.findElements(
                    By.cssSelector("[data-testid=message-item]:not([data-pending]) [data-testid=attachment-link]")).size() == 1);
            patient.screenshot("sent-with-attachment");

            doctor.signIn(server.baseUrl(), "dr.grey", Demo.PASSWORD);
            doctor.listItemNamed("conversation-item", PATIENT_NAME).click();
            WebElement link = doctor.visible(testId("attachment-link"));
            assertThat(link.getText()).contains("knee-scan.png");
            link.click();
            Path downloaded = Browsers.downloads(doctorProfile).resolve("knee-scan.png");
            doctor.until("the download is saved", d -> readable(downloaded));
            assertThat(Files.readAllBytes(downloaded)).isEqualTo(PNG);
            doctor.screenshot("downloaded");

            assertThat(patient.consoleProblems()).as("sam's browser console").isEmpty();
            assertThat(doctor.consoleProblems()).as("dr.grey's browser console").isEmpty();
        }
    }

    private static boolean readable(Path file) {
        try {
            return Files.exists(file) && Files.size(file) == PNG.length;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
