package io.carechat.messaging.crypto;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.error.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.SecretKey;

/**
 * Loads encryption keys from a PKCS#12 keystore file: every secret-key entry holding a 256-bit AES
 * key becomes a key whose id is its alias; the caller names the current one. Make an entry with
 * {@code keytool -genseckey -alias k2026 -keyalg AES -keysize 256 -storetype PKCS12 -keystore keys.p12}.
 * To rotate, add an entry, name it current, restart, and keep the old entries until the
 * {@link KeyRotationJob} has finished. Stateless.
 */
public final class KeyStoreKeyProvider {

    private KeyStoreKeyProvider() {}

    /**
     * Loads the keys.
     *
     * @param file the PKCS#12 file
     * @param password the store's password, which also protects each entry
     * @param currentAlias the alias of the key for new writes
     * @return the provider
     * @throws ConfigurationException if the file cannot be read, or holds no usable key under
     *     {@code currentAlias} (the message never carries key material or the password)
     */
    public static StaticKeyProvider load(Path file, char[] password, String currentAlias) {
        requireNonNull(file, "file");
        requireNonNull(password, "password");
        requireNonNull(currentAlias, "currentAlias");
        KeyStore store;
        try (InputStream in = Files.newInputStream(file)) {
            store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigurationException("KeyStoreKeyProvider",
                    List.of("cannot read the PKCS#12 keystore " + file.getFileName() + " (" + e.getClass().getSimpleName() + ")"));
        }
        Map<String, byte[]> keys = new LinkedHashMap<>();
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (!store.isKeyEntry(alias)) {
                    continue;
                }
                Key key = store.getKey(alias, password);
                if (key instanceof SecretKey secret && "AES".equalsIgnoreCase(secret.getAlgorithm())
                        && secret.getEncoded() != null && secret.getEncoded().length == StaticKeyProvider.KEY_BYTES) {
                    keys.put(alias, secret.getEncoded());
                }
            }
        } catch (GeneralSecurityException e) {
            throw new ConfigurationException("KeyStoreKeyProvider",
                    List.of("cannot read a key from the keystore (" + e.getClass().getSimpleName() + ")"));
        }
        if (!keys.containsKey(currentAlias)) {
            throw new ConfigurationException("KeyStoreKeyProvider",
                    List.of("the keystore holds no 256-bit AES key under the current alias"));
        }
        try {
            return StaticKeyProvider.of(keys, currentAlias);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("KeyStoreKeyProvider",
                    List.of("a keystore alias is not a valid key id: " + e.getMessage()));
        }
    }
}
