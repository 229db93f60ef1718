package io.carechat.messaging.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Password hashing with PBKDF2-HMAC-SHA-256 from the JDK")
class Pbkdf2PasswordHasherTest {

    private final PasswordHasher hasher = PasswordHasher.pbkdf2(1_000);

    @Test
    @DisplayName("a hash names pbkdf2-sha256 and its iterations, with a 16-byte salt and a 32-byte hash")
    void format() {
        assertThat(hasher.hash("correct horse battery staple"))
                .matches("\\$pbkdf2-sha256\\$i=1000\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
    }

    @Test
    @DisplayName("the right password matches and a wrong one does not")
    void verifies() {
        String hash = hasher.hash("correct horse battery staple");
        assertThat(hasher.verify("correct horse battery staple", hash)).isEqualTo(PasswordHasher.Verification.MATCH);
        assertThat(hasher.verify("correct horse battery stapler", hash)).isEqualTo(PasswordHasher.Verification.MISMATCH);
    }

    @Test
    @DisplayName("the same password hashes differently each time (fresh salt)")
    void saltIsFresh() {
        assertThat(hasher.hash("same password here")).isNotEqualTo(hasher.hash("same password here"));
    }

    @Test
    @DisplayName("a hash with another iteration count still verifies and asks to be replaced")
    void otherIterationsNeedRehash() {
        String old = PasswordHasher.pbkdf2(500).hash("correct horse battery staple");
        assertThat(hasher.verify("correct horse battery staple", old))
                .isEqualTo(PasswordHasher.Verification.MATCH_REHASH_NEEDED);
        assertThat(hasher.verify("wrong", old)).isEqualTo(PasswordHasher.Verification.MISMATCH);
    }

    @Test
    @DisplayName("the same password in another Unicode form (NFKC) matches")
    void normalisesUnicode() {
        String hash = hasher.hash("ﬁsh and chips");
        assertThat(hasher.verify("fish and chips", hash).matches()).isTrue();
    }

    @Test
    @DisplayName("an Argon2id hash or garbage is a mismatch, not an error")
    void foreignFormats() {
        String argon2 = PasswordHasher.argon2id(64, 1, 1).hash("secret passphrase");
        assertThat(hasher.verify("secret passphrase", argon2)).isEqualTo(PasswordHasher.Verification.MISMATCH);
        assertThat(hasher.verify("x", "$pbkdf2-sha256$i=1000$!!!$???")).isEqualTo(PasswordHasher.Verification.MISMATCH);
        assertThat(hasher.verify("x", "plain")).isEqualTo(PasswordHasher.Verification.MISMATCH);
    }

    @Test
    @DisplayName("the default is OWASP's 600,000 iterations, and a count out of range is refused")
    void parameters() {
        assertThat(PasswordHasher.pbkdf2().toString()).contains("i=600000");
        assertThatThrownBy(() -> PasswordHasher.pbkdf2(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PasswordHasher.pbkdf2(10_000_001)).isInstanceOf(IllegalArgumentException.class);
    }
}
