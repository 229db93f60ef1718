package io.carechat.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo server's HS256 signing key: the configured text, or a random key generated once and
 * kept in the data folder, readable by its owner only.
 */
final class JwtSecret {
    private static final Logger log = LoggerFactory.getLogger(JwtSecret.class);
    static final String FILE_NAME = "jwt-secret";

    private JwtSecret() {}

    static byte[] resolve(ServerConfig config) throws IOException {
        if (!config.jwtSecret().isEmpty()) {
            return config.jwtSecret().getBytes(StandardCharsets.UTF_8);
        }
        Path file = config.dataDir().resolve(FILE_NAME);
        if (!Files.exists(file)) {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            String text = Base64.getEncoder().encodeToString(key);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, text);
            } catch (FileAlreadyExistsException raced) {
                // another node sharing the folder wrote it first: use theirs
            } catch (UnsupportedOperationException noPosix) {
                Files.writeString(file, text);
            }
            log.warn("CARECHAT_JWT_SECRET is not set: generated a signing key in {}. Set CARECHAT_JWT_SECRET in "
                    + "production, the same on every node.", file.toAbsolutePath());
        }
        return Files.readString(file).trim().getBytes(StandardCharsets.UTF_8);
    }
}
