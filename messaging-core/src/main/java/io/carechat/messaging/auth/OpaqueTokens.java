package io.carechat.messaging.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Makes opaque refresh tokens (256 random bits, unpadded Base64url: 43 characters) and the
 * SHA-256 hashes that are stored instead of them. Thread-safe.
 */
final class OpaqueTokens {

    private static final int TOKEN_BYTES = 32;
    private static final int FAMILY_BYTES = 16;
    private static final Pattern FORM = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final SecureRandom random = new SecureRandom();

    String newToken() {
        return random(TOKEN_BYTES);
    }

    String newFamilyId() {
        return random(FAMILY_BYTES);
    }

    private String random(int bytes) {
        byte[] value = new byte[bytes];
        random.nextBytes(value);
        return ENCODER.encodeToString(value);
    }

    static boolean isWellFormed(String token) {
        return FORM.matcher(token).matches();
    }

    static String hash(String token) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
