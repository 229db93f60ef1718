package io.carechat.messaging.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.error.ConfigurationException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Key providers")
class KeyProvidersTest {
    private static byte[] material() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    @Test
    @DisplayName("CARECHAT_KEYS lists kid:base64 entries; the last one is current, and each key is looked up by id")
    void environmentForm() {
        byte[] first = material();
        byte[] second = material();
        StaticKeyProvider keys = EnvironmentKeyProvider.parse("k2025:" + Base64.getEncoder().encodeToString(first)
                + ", k2026:" + Base64.getEncoder().encodeToString(second));
        assertThat(keys.currentKeyId()).isEqualTo("k2026");
        assertThat(keys.keyIds()).containsExactlyInAnyOrder("k2025", "k2026");
        assertThat(keys.key("k2025")).hasValueSatisfying(k -> assertThat(k.getEncoded()).isEqualTo(first));
        assertThat(keys.key("unknown")).isEmpty();
    }

    @Test
    @DisplayName("a malformed CARECHAT_KEYS names each bad entry and never echoes key material")
    void environmentErrors() {
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> EnvironmentKeyProvider.parse("k1:" + shortKey + ",nocolon,k/3:abc"))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems()).hasSize(3))
                .message().doesNotContain(shortKey);
        assertThatThrownBy(() -> EnvironmentKeyProvider.parse(null)).isInstanceOf(ConfigurationException.class);
    }

    @Test
    @DisplayName("a PKCS#12 keystore's AES-256 entries become keys by alias, with the named one current")
    void keystore(@TempDir Path dir) throws Exception {
        char[] password = "store-secret".toCharArray();
        byte[] old = material();
        byte[] current = material();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, password);
        KeyStore.ProtectionParameter protection = new KeyStore.PasswordProtection(password);
        store.setEntry("k2025", new KeyStore.SecretKeyEntry(new SecretKeySpec(old, "AES")), protection);
        store.setEntry("k2026", new KeyStore.SecretKeyEntry(new SecretKeySpec(current, "AES")), protection);
        Path file = dir.resolve("keys.p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password);
        }
        StaticKeyProvider keys = KeyStoreKeyProvider.load(file, password, "k2026");
        assertThat(keys.currentKeyId()).isEqualTo("k2026");
        assertThat(keys.key("k2025")).hasValueSatisfying(k -> assertThat(k.getEncoded()).isEqualTo(old));
        assertThat(keys.key("k2026")).hasValueSatisfying(k -> assertThat(k.getEncoded()).isEqualTo(current));
        assertThatThrownBy(() -> KeyStoreKeyProvider.load(file, password, "k2030"))
                .isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> KeyStoreKeyProvider.load(file, "wrong".toCharArray(), "k2026"))
                .isInstanceOf(ConfigurationException.class).message().doesNotContain("wrong");
    }
}
