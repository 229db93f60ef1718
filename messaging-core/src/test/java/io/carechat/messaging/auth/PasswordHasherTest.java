package io.carechat.messaging.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Password hashing with Argon2id")
class PasswordHasherTest {

    private final PasswordHasher hasher = PasswordHasher.argon2id(64, 1, 1);

    @Test
    @DisplayName("a hash is a self-describing PHC string naming argon2id, version 19 and its parameters")
    void phcFormat() {
        assertThat(hasher.hash("correct horse battery staple"))
                .matches("\\$argon2id\\$v=19\\$m=64,t=1,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
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
    @DisplayName("a hash made with older parameters still verifies and asks to be replaced")
    void olderParametersNeedRehash() {
        String old = PasswordHasher.argon2id(32, 1, 1).hash("correct horse battery staple");
        assertThat(hasher.verify("correct horse battery staple", old))
                .isEqualTo(PasswordHasher.Verification.MATCH_REHASH_NEEDED);
        assertThat(hasher.verify("wrong", old)).isEqualTo(PasswordHasher.Verification.MISMATCH);
    }

    @Test
    @DisplayName("a stored value that is not an Argon2id hash never matches")
    void foreignHashNeverMatches() {
        assertThat(hasher.verify("secret", "secret")).isEqualTo(PasswordHasher.Verification.MISMATCH);
        assertThat(hasher.verify("x", "$2a$10$abcdefghijklmnopqrstuv")).isEqualTo(PasswordHasher.Verification.MISMATCH);
        assertThat(hasher.verify("x", "$argon2id$v=19$m=99999999,t=1,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"))
                .isEqualTo(PasswordHasher.Verification.MISMATCH);
    }

    @Test
    @DisplayName("passwords are compared after NFKC normalisation")
    void normalises() {
        String composed = "caf\u00e9 au lait, bitte";
        String decomposed = "cafe\u0301 au lait, bitte";
        assertThat(hasher.verify(decomposed, hasher.hash(composed)).matches()).isTrue();
    }

    @Test
    @DisplayName("the defaults are OWASP's Argon2id parameters")
    void defaults() {
        assertThat(PasswordHasher.defaults().toString()).contains("m=19456,t=2,p=1");
    }

    @Test
    @DisplayName("parameters out of range are refused")
    void rangeChecked() {
        assertThatThrownBy(() -> PasswordHasher.argon2id(4, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PasswordHasher.argon2id(64, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
