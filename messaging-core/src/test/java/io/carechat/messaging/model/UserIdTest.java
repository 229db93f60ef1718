package io.carechat.messaging.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("UserId")
class UserIdTest {

    @ParameterizedTest(name = "accepts {0}")
    @ValueSource(strings = {
        "auth0|5f7c8ec7c33c6c004bbafe82",
        "google-oauth2|110169484474386276334",
        "dr.house@princeton-plainsboro.example.org",
        "9f5c1c2e-8a3b-4d1e-9b7a-2c4d6e8f0a1b",
        "00u1a2b3c4d5e6f7g8h9",
        "f:3c9a6e2b-1d4f-4e8a-b5c7-0d2e4f6a8b1c:jdoe",
        "https://idp.example.org/users/42",
        "CN=Jane Doe,OU=Cardiology,O=Hospital",
        "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ",
        "user-1"
    })
    @DisplayName("accepts the subject formats of the common identity providers")
    void acceptsProviderSubjects(String subject) {
        assertThat(UserId.of(subject).value()).isEqualTo(subject);
        assertThat(UserId.isWellFormed(subject)).isTrue();
    }

    @ParameterizedTest(name = "refuses {0}")
    @ValueSource(strings = {"", " ", "   ", " lead-x", "trail-x ", "line\nbreak", "tab\there", "nul\u0000",
        "bidi\u202Eoverride", "zero\u200Bwidth", "no\u00A0break", "bell\u0007"})
    @DisplayName("refuses empty, whitespace-only, control, invisible and non-plain whitespace characters")
    void refusesUnsafeText(String value) {
        assertThat(UserId.isWellFormed(value)).isFalse();
        assertThatThrownBy(() -> UserId.of(value)).isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> {
                    if (!value.isBlank()) {
                        assertThat(e.getMessage()).as("the value is not echoed").doesNotContain(value);
                    }
                });
    }

    @Test
    @DisplayName("accepts 255 characters and refuses 256")
    void lengthLimit() {
        String prefix = "auth0|";
        assertThat(UserId.of(prefix + "a".repeat(UserId.MAX_LENGTH - prefix.length())).value())
                .hasSize(UserId.MAX_LENGTH);
        assertThatThrownBy(() -> UserId.of(prefix + "a".repeat(UserId.MAX_LENGTH + 1 - prefix.length())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("255");
        assertThatThrownBy(() -> UserId.of(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Provide
    Arbitrary<String> printableSubjects() {
        return Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(UserId.MAX_LENGTH);
    }

    @Property(tries = 300)
    @Label("any 1 to 255 printable ASCII characters is a user id, kept exactly")
    void printableAsciiIsAccepted(@ForAll("printableSubjects") String subject) {
        assertThat(UserId.of(subject).value()).isEqualTo(subject);
    }

    @Property(tries = 300)
    @Label("a control character anywhere makes any id malformed")
    void controlCharacterIsRefused(@ForAll("printableSubjects") String subject,
            @ForAll("controls") char control, @ForAll("positions") int position) {
        int at = Math.min(position, subject.length());
        String tainted = subject.substring(0, at) + control + subject.substring(at);
        assertThat(UserId.isWellFormed(tainted)).isFalse();
    }

    @Provide
    Arbitrary<Character> controls() {
        return Arbitraries.oneOf(Arbitraries.chars().range('\u0000', '\u001F'), Arbitraries.chars().range('\u007F', '\u009F'));
    }

    @Provide
    Arbitrary<Integer> positions() {
        return Arbitraries.integers().between(0, UserId.MAX_LENGTH);
    }
}
