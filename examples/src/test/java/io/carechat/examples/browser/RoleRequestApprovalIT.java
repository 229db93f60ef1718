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

/** A new patient asks for doctor access; the admin sees the request arrive live and approves it. */
class RoleRequestApprovalIT {
    private static final String NEW_NAME = "Jo Newcomer";
    private static final String NEW_PASSWORD = "quiet river under the bridge";

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
    @DisplayName("a role request appears live on the open admin dashboard; approving it removes it and makes the user a doctor")
    void adminApprovesRoleRequestThatAppearsLive() {
        Screenshots shots = Screenshots.of(RoleRequestApprovalIT.class);
        try (CareChatPage admin = new CareChatPage("admin", workDir.resolve("admin-profile"), shots);
                CareChatPage newcomer = new CareChatPage("jo", workDir.resolve("jo-profile"), shots)) {
            admin.signIn(server.baseUrl(), "admin", Demo.ADMIN_PASSWORD);
            admin.awaitText(testId("request-count"), "0");
            admin.until("the live figures show the admin's own socket and the ack latency", d -> {
                String figures = d.findElement(testId("admin-figures")).getText();
                return figures.contains("Open sockets") && figures.contains("Ack latency")
                        && !figures.contains("Open sockets\n0");
            });
            admin.screenshot("dashboard-no-requests");

            newcomer.driver().get(server.baseUrl() + "/");
            newcomer.visible(testId("register-link")).click();
            newcomer.visible(testId("register-username")).sendKeys("jo.newcomer");
            newcomer.find(testId("register-email")).sendKeys("jo@hospital.example");
            newcomer.find(testId("register-display-name")).sendKeys(NEW_NAME);
            newcomer.find(testId("register-password")).sendKeys(NEW_PASSWORD);
            newcomer.find(testId("register-button")).click();
            newcomer.visible(testId("logout-button"));
            newcomer.awaitConnected();
            newcomer.find(By.cssSelector(".role-request summary")).click();
            newcomer.visible(testId("role-request-note")).sendKeys("Cardiology registrar, staff number 40417.");
            newcomer.find(testId("role-request-submit")).click();
            newcomer.until("the request is confirmed",
                    d -> d.findElement(testId("role-request-status")).getText().startsWith("Request sent"));
            newcomer.screenshot("request-sent");

            WebElement request = admin.visible(testId("request-item"));
            String joId = request.getAttribute("data-user-id");
            admin.until("the request shows the name and the note", d -> {
                String text = d.findElement(testId("request-item")).getText();
                return text.contains(NEW_NAME) && text.contains("staff number 40417");
            });
            admin.awaitText(testId("request-count"), "1");
            assertThat(admin.findAll(By.cssSelector("[data-testid=user-row][data-user-id='" + joId + "']")))
                    .as("the dashboard was not reloaded: its user list predates the new user").isEmpty();
            admin.screenshot("request-appeared-live");

            admin.find(By.cssSelector("[data-testid=request-item] [data-testid=approve-button]")).click();
            admin.until("the request leaves the pending list", d -> d.findElements(testId("request-item")).isEmpty());
            admin.awaitText(testId("request-count"), "0");
            By doctorBox = By.cssSelector("[data-testid=user-row][data-user-id='" + joId
                    + "'] [data-testid=role-checkbox][data-role=DOCTOR]");
            admin.until("the users list shows the new doctor role", d -> {
                var boxes = d.findElements(doctorBox);
                return !boxes.isEmpty() && boxes.get(0).isSelected();
            });
            admin.screenshot("approved");
            admin.find(testId("audit-search")).click();
            admin.until("the approval is in the audit trail", d -> !d.findElements(
                    By.cssSelector("[data-testid=audit-row][data-action='role.approve']")).isEmpty());
            admin.find(testId("verify-button")).click();
            admin.until("the chain verifies", d -> d.findElements(
                    By.cssSelector("[data-testid=verify-result][data-valid=true]")).size() == 1);
            admin.script("arguments[0].scrollIntoView()", admin.find(testId("verify-button")));
            admin.screenshot("audit-section");

            newcomer.visible(testId("login-form"));
            newcomer.screenshot("asked-to-sign-in-again");
            newcomer.signInAgain("jo.newcomer", NEW_PASSWORD);
            newcomer.visible(testId("contact-filter"));
            newcomer.visible(testId("presence-select"));
            assertThat(newcomer.findAll(testId("role-request-form"))).as("a doctor is not offered the request form").isEmpty();
            newcomer.screenshot("doctor-dashboard");

            assertThat(admin.consoleProblems()).as("the admin's browser console").isEmpty();
            assertThat(newcomer.consoleProblems()).as("the newcomer's browser console").isEmpty();
        }
    }
}
