package io.carechat.examples.browser;

import static io.carechat.examples.browser.CareChatPage.testId;
import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.examples.DemoProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The deep link of an offline notice, followed in the web UI: a patient who is signed out gets a
 * doctor's message, the demo's log notifier writes the notice with its link, and the patient who
 * opens that link and signs in lands in that conversation. Notices fall due after
 * {@value #AFTER_SECONDS} second here ({@code CARECHAT_NOTIFY_AFTER_SECONDS}).
 */
class OfflineNoticeLinkIT {
    private static final int AFTER_SECONDS = 1;
    private static final String GREY = "Dr Meredith Grey";
    private static final String BAILEY = "Dr Miranda Bailey";
    private static final String SAM = "Sam Patient";
    private static final String BODY = "Your scan is booked for Monday at nine";
    private static final Pattern LINK = Pattern.compile("offline notice: .* link=(\\S+)");

    @TempDir
    static Path workDir;

    static DemoProcess server;

    @BeforeAll
    static void start() throws Exception {
        Browsers.assumeAvailable();
        server = DemoProcess.start(workDir, Map.of("CARECHAT_ADMIN_PASSWORD", Demo.ADMIN_PASSWORD,
                "CARECHAT_NOTIFY_AFTER_SECONDS", Integer.toString(AFTER_SECONDS)));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @DisplayName("a signed-out patient's notice links to the doctor's conversation, and following it and signing in"
            + " opens that conversation, not another, with the message")
    void linkOpensTheConversation() {
        Screenshots shots = Screenshots.of(OfflineNoticeLinkIT.class);
        try (CareChatPage patient = new CareChatPage("sam", workDir.resolve("sam-profile"), shots);
                CareChatPage doctor = new CareChatPage("grey", workDir.resolve("grey-profile"), shots)) {
            patient.signIn(server.baseUrl(), "sam", Demo.PASSWORD);
            patient.listItemNamed("contact-item", BAILEY).click();
            patient.send("A question for Dr Bailey");
            patient.until("the message is stored", d -> !d.findElements(
                    By.cssSelector("[data-testid=message-item]:not([data-pending]) [data-testid=tick]")).isEmpty());
            patient.signOut();

            doctor.signIn(server.baseUrl(), "dr.grey", Demo.PASSWORD);
            WebElement sam = doctor.listItemNamed("contact-item", SAM);
            doctor.until("the signed-out patient shows as offline",
                    d -> d.findElements(By.cssSelector("[data-testid=contact-item][data-user-id='"
                            + sam.getAttribute("data-user-id") + "'] [data-presence=offline]")).size() == 1);
            sam.click();
            doctor.send(BODY);
            doctor.until("the message is stored", d -> !d.findElements(
                    By.cssSelector("[data-testid=message-item]:not([data-pending]) [data-testid=tick]")).isEmpty());
            String conversationId = doctor.find(testId("chat-view")).getAttribute("data-conversation-id");
            assertThat(conversationId).isNotBlank();
            doctor.screenshot("sent-to-signed-out-patient");

            String link = awaitNoticeLink(conversationId);
            assertThat(link).endsWith("/#/conversations/" + conversationId);

            patient.driver().get(link);
            patient.signInAgain("sam", Demo.PASSWORD);
            patient.until("the linked conversation is open", d -> {
                WebElement chat = d.findElement(testId("chat-view"));
                return chat.isDisplayed() && conversationId.equals(chat.getAttribute("data-conversation-id"));
            });
            patient.until("its message is shown", d -> patient.messageBodies().contains(BODY));
            assertThat(patient.script("return location.hash")).as("the link is taken out of the address bar")
                    .isEqualTo("");
            patient.screenshot("opened-from-notice-link");

            assertThat(patient.consoleProblems()).as("sam's browser console").isEmpty();
            assertThat(doctor.consoleProblems()).as("dr.grey's browser console").isEmpty();
        }
    }

    /** Waits, bounded, for the notice line whose link names the conversation, and returns the link. */
    private static String awaitNoticeLink(String conversationId) {
        Instant giveUp = Instant.now().plusSeconds(AFTER_SECONDS * 30L);
        while (true) {
            Optional<String> link = log().lines().map(LINK::matcher).filter(Matcher::find).map(m -> m.group(1))
                    .filter(l -> l.endsWith(conversationId)).findFirst();
            if (link.isPresent()) {
                return link.get();
            }
            if (Instant.now().isAfter(giveUp)) {
                throw new AssertionError("no offline notice for the conversation in the server's output:\n" + log());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    private static String log() {
        try {
            return server.log();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
