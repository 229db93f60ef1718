package io.carechat.messaging.auth;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * The default {@link PasswordHasher}: Argon2id (BouncyCastle's implementation), hashing into
 * self-describing strings in
 * the PHC format {@code $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>} (unpadded
 * Base64), so the parameters can be raised later: {@link #verify} accepts hashes made with older
 * parameters and says when one should be replaced.
 *
 * <p>Passwords are normalised to Unicode NFKC before hashing, as NIST SP 800-63B recommends, so
 * the same password typed on different devices matches. Salts are 16 random bytes; hashes 32.
 *
 * <p>Thread-safe and stateless apart from its parameters; create one and share it.
 */
final class Argon2idPasswordHasher implements PasswordHasher {

    /** OWASP's recommended Argon2id memory cost: 19 MiB. */
    static final int DEFAULT_MEMORY_KIB = 19 * 1024;
    /** OWASP's recommended Argon2id passes for that memory: 2. */
    static final int DEFAULT_ITERATIONS = 2;
    /** One lane. */
    static final int DEFAULT_PARALLELISM = 1;
    private static final String BOUNCY_CASTLE_ARGON2 = "org.bouncycastle.crypto.generators.Argon2BytesGenerator";

    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final int MAX_MEMORY_KIB = 1024 * 1024;
    private static final int MAX_ITERATIONS = 64;
    private static final int MAX_PARALLELISM = 16;
    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,8}),t=(\\d{1,3}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{11,64})\\$([A-Za-z0-9+/]{16,128})");
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getDecoder();

    private final int memoryKiB;
    private final int iterations;
    private final int parallelism;
    private final SecureRandom random = new SecureRandom();

    private Argon2idPasswordHasher(int memoryKiB, int iterations, int parallelism) {
        if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
            throw new IllegalArgumentException("parallelism must be 1 to " + MAX_PARALLELISM);
        }
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("iterations must be 1 to " + MAX_ITERATIONS);
        }
        if (memoryKiB < 8 * parallelism || memoryKiB > MAX_MEMORY_KIB) {
            throw new IllegalArgumentException("memoryKiB must be 8 * parallelism to " + MAX_MEMORY_KIB);
        }
        this.memoryKiB = memoryKiB;
        this.iterations = iterations;
        this.parallelism = parallelism;
    }

    /**
     * An Argon2id hasher, after checking that BouncyCastle is on the class path.
     *
     * @throws IllegalArgumentException if a parameter is out of range
     * @throws IllegalStateException if BouncyCastle is missing
     */
    static Argon2idPasswordHasher create(int memoryKiB, int iterations, int parallelism) {
        try {
            Class.forName(BOUNCY_CASTLE_ARGON2, false, Argon2idPasswordHasher.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("Argon2id password hashing needs BouncyCastle"
                    + " (org.bouncycastle:bcprov-jdk18on) on the class path; without it, give the builder another"
                    + " PasswordHasher, such as PasswordHasher.pbkdf2()", e);
        }
        return new Argon2idPasswordHasher(memoryKiB, iterations, parallelism);
    }

    @Override
    public String hash(String password) {
        requireNonNull(password, "password");
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = derive(password, salt, memoryKiB, iterations, parallelism, HASH_BYTES);
        return "$argon2id$v=19$m=" + memoryKiB + ",t=" + iterations + ",p=" + parallelism + "$"
                + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    @Override
    public Verification verify(String password, String storedHash) {
        requireNonNull(password, "password");
        requireNonNull(storedHash, "storedHash");
        Matcher m = PHC.matcher(storedHash);
        if (!m.matches()) {
            return Verification.MISMATCH;
        }
        int memory = Integer.parseInt(m.group(1));
        int passes = Integer.parseInt(m.group(2));
        int lanes = Integer.parseInt(m.group(3));
        if (lanes < 1 || lanes > MAX_PARALLELISM || passes < 1 || passes > MAX_ITERATIONS
                || memory < 8 * lanes || memory > MAX_MEMORY_KIB) {
            return Verification.MISMATCH;
        }
        byte[] salt;
        byte[] expected;
        try {
            salt = B64_DECODER.decode(m.group(4));
            expected = B64_DECODER.decode(m.group(5));
        } catch (IllegalArgumentException e) {
            return Verification.MISMATCH;
        }
        byte[] actual = derive(password, salt, memory, passes, lanes, expected.length);
        if (!MessageDigest.isEqual(expected, actual)) {
            return Verification.MISMATCH;
        }
        boolean current = memory == memoryKiB && passes == iterations && lanes == parallelism
                && salt.length >= SALT_BYTES && expected.length == HASH_BYTES;
        return current ? Verification.MATCH : Verification.MATCH_REHASH_NEEDED;
    }

    private static byte[] derive(String password, byte[] salt, int memory, int passes, int lanes, int length) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memory)
                .withIterations(passes)
                .withParallelism(lanes)
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] out = new byte[length];
        generator.generateBytes(Normalizer.normalize(password, Normalizer.Form.NFKC).getBytes(StandardCharsets.UTF_8), out);
        return out;
    }

    @Override
    public String toString() {
        return "PasswordHasher[argon2id m=" + memoryKiB + ",t=" + iterations + ",p=" + parallelism + "]";
    }
}
