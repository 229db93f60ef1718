package io.carechat.messaging.auth;

/**
 * Hashes and checks the passwords of CareChat's own accounts: the small seam behind which the
 * hashing algorithm sits, given to {@link Accounts.Builder#passwordHasher} or
 * {@code Messaging.Builder.passwordHasher}.
 *
 * <p>The default, {@link #defaults()}, is Argon2id through BouncyCastle. A deployment that may not
 * load BouncyCastle (one bound to a FIPS 140 provider such as bc-fips) excludes the
 * {@code bcprov-jdk18on} dependency and gives the builder {@link #pbkdf2()}, which uses the JDK's
 * own {@code PBKDF2WithHmacSHA256} and so whatever FIPS provider the JVM is configured with, or its
 * own implementation. docs/security.md says how.
 *
 * <p>A hash is a self-describing string that names its algorithm and parameters, so parameters can
 * be raised later: {@link #verify} accepts hashes made with older parameters and says when one
 * should be replaced, and the caller stores a fresh hash at the next successful sign-in. A hasher
 * answers {@link Verification#MISMATCH} for a hash in a format it does not read.
 *
 * <p>Implementations are thread-safe and hold no state beyond their parameters; one instance is
 * shared by every sign-in. Neither the password nor the hash may appear in an exception message or
 * a log line.
 */
public interface PasswordHasher {

    /**
     * Hashes a password with a fresh random salt.
     *
     * @param password the password
     * @return the self-describing hash
     */
    String hash(String password);

    /**
     * Checks a password against a stored hash, in time independent of where they differ.
     *
     * @param password the password presented
     * @param storedHash a hash made by {@link #hash} with these or other parameters
     * @return whether it matches, and whether the hash should be replaced by one with the current
     *     parameters
     */
    Verification verify(String password, String storedHash);

    /**
     * Argon2id with OWASP's recommended parameters (19 MiB, 2 passes, 1 lane), through BouncyCastle.
     * The builders use it when given no hasher.
     *
     * @return the hasher
     * @throws IllegalStateException if BouncyCastle ({@code org.bouncycastle:bcprov-jdk18on}) is not
     *     on the class path
     */
    static PasswordHasher defaults() {
        return Argon2idPasswordHasher.create(Argon2idPasswordHasher.DEFAULT_MEMORY_KIB,
                Argon2idPasswordHasher.DEFAULT_ITERATIONS, Argon2idPasswordHasher.DEFAULT_PARALLELISM);
    }

    /**
     * Argon2id with chosen parameters, through BouncyCastle. Production should use at least
     * {@link #defaults()}; tests may use cheap parameters to stay fast.
     *
     * @param memoryKiB memory cost in KiB, at least 8 per lane, at most 1 GiB
     * @param iterations passes, 1 to 64
     * @param parallelism lanes, 1 to 16
     * @return the hasher
     * @throws IllegalArgumentException if a parameter is out of range
     * @throws IllegalStateException if BouncyCastle is not on the class path
     */
    static PasswordHasher argon2id(int memoryKiB, int iterations, int parallelism) {
        return Argon2idPasswordHasher.create(memoryKiB, iterations, parallelism);
    }

    /**
     * PBKDF2 with HMAC-SHA-256 from the JDK's own security providers, at OWASP's recommended
     * 600,000 iterations: the choice for a deployment without BouncyCastle.
     *
     * @return the hasher
     */
    static PasswordHasher pbkdf2() {
        return new Pbkdf2PasswordHasher(Pbkdf2PasswordHasher.DEFAULT_ITERATIONS);
    }

    /**
     * PBKDF2 with HMAC-SHA-256 at a chosen iteration count. Production should use at least
     * {@link #pbkdf2()}; tests may use few iterations to stay fast.
     *
     * @param iterations iterations, 1 to 10,000,000
     * @return the hasher
     * @throws IllegalArgumentException if the count is out of range
     */
    static PasswordHasher pbkdf2(int iterations) {
        return new Pbkdf2PasswordHasher(iterations);
    }

    /** What {@link #verify} found. */
    enum Verification {
        /** The password does not match (or the stored hash is not one this hasher reads). */
        MISMATCH,
        /** The password matches and the hash uses the current parameters. */
        MATCH,
        /** The password matches, but the hash uses other parameters: store a fresh hash. */
        MATCH_REHASH_NEEDED;

        /**
         * Tells whether the password matched.
         *
         * @return true for {@link #MATCH} and {@link #MATCH_REHASH_NEEDED}
         */
        public boolean matches() {
            return this != MISMATCH;
        }
    }
}
