package io.carechat.messaging.auth;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.error.BadRequestException;
import io.carechat.messaging.error.ConfigurationException;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Password policy (NIST SP 800-63B)")
class PasswordPolicyTest {

    private final PasswordPolicy policy = PasswordPolicy.defaults();

    private void accepted(String password) {
        assertThatCode(() -> policy.check(password, "alice", "alice@example.org")).doesNotThrowAnyException();
    }

    private void refused(String password, String message) {
        assertThatThrownBy(() -> policy.check(password, "alice", "alice@example.org"))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining(message)
                .hasMessageNotContaining(password);
    }

    @Test
    @DisplayName("a password shorter than the minimum (15 by default) is refused")
    void tooShort() {
        refused("fourteen chars", "at least 15");
        accepted("fifteen chars!!");
    }

    @Test
    @DisplayName("passwords of 64 characters and more are accepted, up to the maximum")
    void longAccepted() {
        accepted("a long passphrase with spaces ".repeat(4).substring(0, 64));
        accepted("x9".repeat(64));
        refused("x9".repeat(64) + "x", "at most 128");
    }

    @Test
    @DisplayName("no composition rules: lower-case words with spaces and unicode pass")
    void noCompositionRules() {
        accepted("purple monkey dishwasher");
        accepted("\u00fcber gr\u00fcne w\u00e4lder \u2603");
    }

    @Test
    @DisplayName("a common password is refused in any case")
    void commonRefused() {
        PasswordPolicy eight = PasswordPolicy.builder().minLength(8).build();
        assertThatThrownBy(() -> eight.check("PassWord123", "bob", "bob@example.org"))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("too common");
        refused("CorrectHorseBatteryStaple", "too common");
    }

    @Test
    @DisplayName("a password containing the username or the e-mail's local part is refused")
    void contextWordsRefused() {
        refused("my name is alice, hello", "username");
        assertThatThrownBy(() -> policy.check("bobthebuilder-rocks", "bob.b", "thebuilder@example.org"))
                .isInstanceOf(BadRequestException.class);
    }

    @Test
    @DisplayName("a deployment's own blocklist is honoured")
    void ownBlocklist() {
        PasswordPolicy custom = PasswordPolicy.builder().blocklist(List.of("St Mary Hospital 2026")).build();
        assertThatThrownBy(() -> custom.check("st mary hospital 2026", "carol", "carol@example.org"))
                .isInstanceOf(BadRequestException.class);
    }

    @Test
    @DisplayName("a minimum below 8 or a maximum below 64 is refused at build()")
    void limits() {
        assertThatThrownBy(() -> PasswordPolicy.builder().minLength(6).maxLength(32).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("at least 8")
                .hasMessageContaining("at least 64");
    }
}
