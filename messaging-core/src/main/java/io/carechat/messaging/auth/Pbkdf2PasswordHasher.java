package io.carechat.messaging.auth;

import static java.util.Objects.requireNonNull;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A {@link PasswordHasher} on PBKDF2 with HMAC-SHA-256 from the JDK's security providers (so a
 * FIPS provider when the JVM is configured with one), for deployments that cannot load
 * BouncyCastle. Hashes are self-describing strings
 * {@code $pbkdf2-sha256$i=<iterations>$<salt>$<hash>} (unpadded Base64); a hash with another
 * iteration count verifies and asks to be replaced.
 *
 * <p>Passwords are normalised to Unicode NFKC before hashing, as with Argon2id. Salts are 16 random
 * bytes; hashes 32.
 *
 * <p>Thread-safe and stateless apart from its iteration count; create one and share it.
 */
final class Pbkdf2PasswordHasher implements PasswordHasher {

    /** OWASP's recommended iterations for PBKDF2-HMAC-SHA-256. */
    static final int DEFAULT_ITERATIONS = 600_000;

    private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    private static final int MAX_ITERATIONS = 10_000_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Pattern FORMAT = Pattern.compile(
            "\\$pbkdf2-sha256\\$i=(\\d{1,8})\\$([A-Za-z0-9+/]{11,64})\\$([A-Za-z0-9+/]{16,128})");
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getDecoder();

    private final int iterations;
    private final SecureRandom random = new SecureRandom();

    Pbkdf2PasswordHasher(int iterations) {
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("iterations must be 1 to " + MAX_ITERATIONS);
        }
        this.iterations = iterations;
    }

    @Override
    public String hash(String password) {
        requireNonNull(password, "password");
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = derive(password, salt, iterations, HASH_BYTES);
        return "$pbkdf2-sha256$i=" + iterations + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    @Override
    public Verification verify(String password, String storedHash) {
        requireNonNull(password, "password");
        requireNonNull(storedHash, "storedHash");
        Matcher m = FORMAT.matcher(storedHash);
        if (!m.matches()) {
            return Verification.MISMATCH;
        }
        int count = Integer.parseInt(m.group(1));
        if (count < 1 || count > MAX_ITERATIONS) {
            return Verification.MISMATCH;
        }
        byte[] salt;
        byte[] expected;
        try {
            salt = B64_DECODER.decode(m.group(2));
            expected = B64_DECODER.decode(m.group(3));
        } catch (IllegalArgumentException e) {
            return Verification.MISMATCH;
        }
        byte[] actual = derive(password, salt, count, expected.length);
        if (!MessageDigest.isEqual(expected, actual)) {
            return Verification.MISMATCH;
        }
        boolean current = count == iterations && salt.length >= SALT_BYTES && expected.length == HASH_BYTES;
        return current ? Verification.MATCH : Verification.MATCH_REHASH_NEEDED;
    }

    private static byte[] derive(String password, byte[] salt, int count, int length) {
        char[] chars = Normalizer.normalize(password, Normalizer.Form.NFKC).toCharArray();
        PBEKeySpec spec = new PBEKeySpec(chars, salt, count, length * 8);
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM's security providers offer no " + ALGORITHM, e);
        } finally {
            spec.clearPassword();
            Arrays.fill(chars, '\0');
        }
    }

    @Override
    public String toString() {
        return "PasswordHasher[pbkdf2-sha256 i=" + iterations + "]";
    }
}
