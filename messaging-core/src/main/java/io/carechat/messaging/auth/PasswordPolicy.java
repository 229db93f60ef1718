package io.carechat.messaging.auth;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.error.BadRequestException;
import io.carechat.messaging.error.ConfigurationException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What passwords are accepted, after NIST SP 800-63B: a minimum length (15 characters by default,
 * the minimum for a password used as a single factor; at least 8), a maximum of at least 64 (128
 * by default), every printable character and space allowed, no composition rules, and no password
 * that is on a blocklist of common passwords or that contains the username or the e-mail
 * address's local part. Length counts Unicode code points after NFKC normalisation.
 *
 * <p>Immutable and thread-safe; build one with {@link #builder()} or take {@link #defaults()}.
 */
public final class PasswordPolicy {

    /** The default minimum length. */
    public static final int DEFAULT_MIN_LENGTH = 15;
    /** The default maximum length. */
    public static final int DEFAULT_MAX_LENGTH = 128;
    private static final int SHORTEST_CONTEXT_WORD = 4;

    private static final Set<String> COMMON = loadCommonPasswords();

    private final int minLength;
    private final int maxLength;
    private final Set<String> blocklist;

    private PasswordPolicy(Builder b) {
        this.minLength = b.minLength;
        this.maxLength = b.maxLength;
        Set<String> all = new HashSet<>(COMMON);
        all.addAll(b.blocklist);
        this.blocklist = Set.copyOf(all);
    }

    /**
     * The default policy.
     *
     * @return minimum 15, maximum 128, the built-in blocklist
     */
    public static PasswordPolicy defaults() {
        return builder().build();
    }

    /**
     * Starts configuring a policy.
     *
     * @return a builder with the defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The minimum length.
     *
     * @return code points
     */
    public int minLength() {
        return minLength;
    }

    /**
     * The maximum length.
     *
     * @return code points
     */
    public int maxLength() {
        return maxLength;
    }

    /**
     * Checks a new password for an account.
     *
     * @param password the password chosen
     * @param username the account's username
     * @param email the account's e-mail address
     * @throws BadRequestException naming the rule broken (never echoing the password)
     */
    public void check(String password, String username, String email) {
        requireNonNull(password, "password");
        requireNonNull(username, "username");
        requireNonNull(email, "email");
        String normal = Normalizer.normalize(password, Normalizer.Form.NFKC);
        int length = normal.codePointCount(0, normal.length());
        if (length < minLength) {
            throw new BadRequestException("password must have at least " + minLength + " characters");
        }
        if (length > maxLength) {
            throw new BadRequestException("password must have at most " + maxLength + " characters");
        }
        if (normal.codePoints().anyMatch(cp -> Character.isISOControl(cp))) {
            throw new BadRequestException("password must not contain control characters");
        }
        String lower = normal.toLowerCase(Locale.ROOT);
        if (blocklist.contains(lower)) {
            throw new BadRequestException("password is too common; choose another");
        }
        String localPart = email.contains("@") ? email.substring(0, email.indexOf('@')) : email;
        for (String word : new String[] {username, localPart}) {
            String w = word.toLowerCase(Locale.ROOT);
            if (w.length() >= SHORTEST_CONTEXT_WORD && lower.contains(w)) {
                throw new BadRequestException("password must not contain the username or e-mail address");
            }
        }
    }

    private static Set<String> loadCommonPasswords() {
        Set<String> words = new HashSet<>();
        try (InputStream in = PasswordPolicy.class.getResourceAsStream("common-passwords.txt")) {
            if (in == null) {
                throw new IllegalStateException("common-passwords.txt is missing from the jar");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                String word = line.strip();
                if (!word.isEmpty() && !word.startsWith("#")) {
                    words.add(word.toLowerCase(Locale.ROOT));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Set.copyOf(words);
    }

    @Override
    public String toString() {
        return "PasswordPolicy[minLength=" + minLength + ", maxLength=" + maxLength + "]";
    }

    /** Configures a {@link PasswordPolicy}. Not thread-safe; use from one thread. */
    public static final class Builder {
        private int minLength = DEFAULT_MIN_LENGTH;
        private int maxLength = DEFAULT_MAX_LENGTH;
        private final Set<String> blocklist = new HashSet<>();

        private Builder() {}

        /**
         * Sets the minimum length: at least 8; 15 or more when the password is the only factor.
         *
         * @param value code points
         * @return this builder
         */
        public Builder minLength(int value) {
            this.minLength = value;
            return this;
        }

        /**
         * Sets the maximum length: at least 64 and at least the minimum.
         *
         * @param value code points
         * @return this builder
         */
        public Builder maxLength(int value) {
            this.maxLength = value;
            return this;
        }

        /**
         * Adds passwords to refuse (compared without regard to case), such as a list of breached
         * passwords.
         *
         * @param passwords the passwords
         * @return this builder
         */
        public Builder blocklist(Collection<String> passwords) {
            passwords.forEach(p -> blocklist.add(Normalizer.normalize(p, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT)));
            return this;
        }

        /**
         * Builds the policy.
         *
         * @return the policy
         * @throws ConfigurationException if a length is out of range
         */
        public PasswordPolicy build() {
            List<String> problems = new ArrayList<>();
            if (minLength < 8) {
                problems.add("minLength must be at least 8 (NIST SP 800-63B)");
            }
            if (maxLength < 64 || maxLength < minLength) {
                problems.add("maxLength must be at least 64 and at least minLength");
            }
            if (!problems.isEmpty()) {
                throw new ConfigurationException("PasswordPolicy", problems);
            }
            return new PasswordPolicy(this);
        }
    }
}
