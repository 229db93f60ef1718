package io.carechat.spring.boot;

import io.carechat.messaging.crypto.EnvironmentKeyProvider;
import io.carechat.messaging.crypto.KeyStoreKeyProvider;
import io.carechat.messaging.crypto.StaticKeyProvider;
import io.carechat.messaging.error.ConfigurationException;
import java.util.List;

/**
 * Loads the keys that seal message bodies from {@code carechat.encryption.*}: a PKCS12 key store,
 * a key list, or else the {@code CARECHAT_KEYS} environment variable. Error messages name the
 * setting, never key material. Stateless.
 */
final class EncryptionKeys {

    private EncryptionKeys() {}

    static StaticKeyProvider load(CareChatProperties.Encryption encryption) {
        if (encryption.getKeyStore() != null) {
            if (encryption.getKeyStorePassword() == null || encryption.getKeyStoreCurrentAlias() == null) {
                throw new ConfigurationException("carechat.encryption", List.of(
                        "carechat.encryption.key-store needs carechat.encryption.key-store-password and "
                                + "carechat.encryption.key-store-current-alias"));
            }
            return KeyStoreKeyProvider.load(encryption.getKeyStore(), encryption.getKeyStorePassword().toCharArray(),
                    encryption.getKeyStoreCurrentAlias());
        }
        if (encryption.getKeys() != null && !encryption.getKeys().isBlank()) {
            return EnvironmentKeyProvider.parse(encryption.getKeys());
        }
        if (System.getenv(EnvironmentKeyProvider.VARIABLE) == null) {
            throw new ConfigurationException("carechat.encryption", List.of(
                    "CareChat needs encryption keys: set carechat.encryption.keys (kid:BASE64 pairs), "
                            + "carechat.encryption.key-store, or the " + EnvironmentKeyProvider.VARIABLE
                            + " environment variable"));
        }
        return EnvironmentKeyProvider.fromEnvironment();
    }
}
