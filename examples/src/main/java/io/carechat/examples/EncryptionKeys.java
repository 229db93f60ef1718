package io.carechat.examples;

import io.carechat.messaging.error.ConfigurationException;
import io.carechat.messaging.crypto.EnvironmentKeyProvider;
import io.carechat.messaging.crypto.StaticKeyProvider;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys that encrypt message bodies and attachments at rest: {@code CARECHAT_KEYS}, or one key
 * generated once and kept in the data folder, readable by its owner only.
 */
final class EncryptionKeys {
    private static final Logger log = LoggerFactory.getLogger(EncryptionKeys.class);
    static final String FILE_NAME = "encryption-keys";

    private EncryptionKeys() {}

    static StaticKeyProvider resolve(ServerConfig config) throws IOException {
        String spec = config.keys();
        if (spec.isEmpty()) {
            Path file = config.dataDir().resolve(FILE_NAME);
            if (!Files.exists(file)) {
                byte[] key = new byte[StaticKeyProvider.KEY_BYTES];
                new SecureRandom().nextBytes(key);
                String text = "demo-1:" + Base64.getEncoder().encodeToString(key);
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    Files.writeString(file, text);
                } catch (FileAlreadyExistsException raced) {
                    // another node sharing the folder wrote it first: use theirs
                } catch (UnsupportedOperationException noPosix) {
                    Files.writeString(file, text);
                }
                log.warn("CARECHAT_KEYS is not set: generated an encryption key in {}. Set CARECHAT_KEYS in production,"
                        + " the same on every node, and keep it apart from the database.", file.toAbsolutePath());
            }
            spec = Files.readString(file).trim();
        }
        try {
            return EnvironmentKeyProvider.parse(spec);
        } catch (ConfigurationException e) {
            throw new ServerConfig.InvalidSettingException(List.of(Setting.KEYS.envName() + " is not usable: "
                    + String.join("; ", e.problems())));
        }
    }
}
