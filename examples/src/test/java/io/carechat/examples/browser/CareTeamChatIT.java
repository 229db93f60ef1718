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
import org.openqa.selenium.support.ui.Select;

/**
 * A care team chat with three members, each in their own headless Chromium on the demo server: a
 * doctor creates the team with a patient and another doctor, all three write and each sees the
 * others' messages; then the doctor adds and removes a member through the members panel.
 */
class CareTeamChatIT {
    private static final String TEAM = "Knee surgery team";
    private static final String OTHER_DOCTOR = "Dr Miranda Bailey";
    private static final String PATIENT = "Sam Patient";
    private static final String OTHER_PATIENT = "Alex Patient";

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
    @DisplayName("a doctor creates a care team with a patient and a doctor; all three write and each sees the others' messages live; a member added and removed in the members panel")
    void threeMembersChat() {
        Screenshots shots = Screenshots.of(CareTeamChatIT.class);
        try (CareChatPage grey = new CareChatPage("dr.grey", workDir.resolve("grey-profile"), shots);
                CareChatPage bailey = new CareChatPage("dr.bailey", workDir.resolve("bailey-profile"), shots);
                CareChatPage sam = new CareChatPage("sam", workDir.resolve("sam-profile"), shots)) {
            grey.signIn(server.baseUrl(), "dr.grey", Demo.PASSWORD);
            bailey.signIn(server.baseUrl(), "dr.bailey", Demo.PASSWORD);
            sam.signIn(server.baseUrl(), "sam", Demo.PASSWORD);

            grey.visible(testId("team-create-toggle")).click();
            grey.visible(testId("team-title")).sendKeys(TEAM);
            pick(grey, PATIENT);
            pick(grey, OTHER_DOCTOR);
            grey.screenshot("team-form-filled");
            grey.find(testId("team-create")).click();
            grey.awaitText(By.id("chat-title"), TEAM);
            grey.until("the header names the three members", d -> {
                String names = d.findElement(testId("team-member-names")).getText();
                return names.contains(PATIENT) && names.contains(OTHER_DOCTOR);
            });
            grey.send("Surgery is booked for Monday.");

            openTeam(sam);
            sam.until("the doctor's message arrives", d -> sam.messageBodies().contains("Surgery is booked for Monday."));
            sam.send("Do I need to fast before?");
            openTeam(bailey);
            bailey.until("both messages are shown", d -> bailey.messageBodies().size() == 2);
            bailey.send("Yes, from midnight. I will do the anaesthesia.");

            String last = "Yes, from midnight. I will do the anaesthesia.";
            List<String> all = List.of("Surgery is booked for Monday.", "Do I need to fast before?", last);
            for (CareChatPage page : List.of(grey, bailey, sam)) {
                page.until("all three messages, in order", d -> page.messageBodies().equals(all));
                page.screenshot("three-messages");
            }
            assertThat(senders(sam)).containsExactly("Dr Meredith Grey", "You", OTHER_DOCTOR);
            assertThat(senders(grey)).containsExactly("You", PATIENT, OTHER_DOCTOR);

            grey.visible(testId("team-panel-toggle")).click();
            grey.until("the panel lists three members", d -> d.findElements(testId("team-member")).size() == 3);
            new Select(grey.visible(testId("team-add-select"))).selectByVisibleText(OTHER_PATIENT + " (Patient)");
            grey.find(testId("team-add-button")).click();
            grey.until("the panel lists four members", d -> d.findElements(testId("team-member")).size() == 4);
            bailey.until("the other doctor's header names the new member",
                    d -> d.findElement(testId("team-member-names")).getText().contains(OTHER_PATIENT));
            grey.screenshot("member-added");

            String teamId = sam.find(testId("team-item")).getAttribute("data-conversation-id");
            assertThat(teamId).isNotBlank();
            WebElement removeSam = grey.until("a remove button for the patient", d -> d.findElements(testId("team-member")).stream()
                    .filter(e -> e.getText().contains(PATIENT))
                    .map(e -> e.findElement(testId("team-remove"))).findFirst().orElse(null));
            removeSam.click();
            grey.until("the panel lists three members again", d -> d.findElements(testId("team-member")).size() == 3);
            sam.until("the removed patient's team is gone", d -> d.findElements(testId("team-item")).isEmpty());
            sam.until("the chat closed", d -> !d.findElement(testId("chat-view")).isDisplayed());
            sam.screenshot("removed-from-team");
            grey.screenshot("member-removed");

            assertThat(grey.consoleProblems()).as("dr.grey's browser console").isEmpty();
            assertThat(bailey.consoleProblems()).as("dr.bailey's browser console").isEmpty();
            assertThat(sam.consoleProblems()).as("sam's browser console").isEmpty();
        }
    }

    private static void pick(CareChatPage page, String name) {
        WebElement box = page.until("a member box for " + name, d -> d.findElements(By.cssSelector("[data-testid=team-picker] label")).stream()
                .filter(l -> l.getText().startsWith(name)).findFirst().orElse(null));
        box.click();
    }

    private static void openTeam(CareChatPage page) {
        page.listItemNamed("team-item", TEAM).click();
        page.visible(testId("chat-view"));
        page.awaitText(By.id("chat-title"), TEAM);
    }

    private static List<String> senders(CareChatPage page) {
        return page.findAll(By.cssSelector("[data-testid=message-item] .sender")).stream()
                .map(e -> e.getText().trim()).toList();
    }
}
