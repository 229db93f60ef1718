package io.carechat.messaging.auth;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import io.carechat.messaging.error.ConfigurationException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * How CareChat issues and verifies tokens: the issuer and audience, lifetimes, clock skew, the
 * signing keys (an HS256 secret of at least 256 bits, or RS256/ES256 key pairs, each with a
 * {@code kid}, several at once for rotation), the algorithm allowlist, and the external identity
 * providers whose tokens are accepted too. Immutable and thread-safe; build one with
 * {@link #builder()}, which checks everything and reports every problem at once.
 *
 * <p>In external-only mode ({@link Builder#externalOnly()}) CareChat issues no tokens and needs no
 * signing key: every caller signs in with an external identity provider, and whatever would issue
 * a token (login, refresh) fails with a {@link ConfigurationException} that says so.
 *
 * <p>The key material is copied in and never shown by {@link #toString()}.
 */
public final class TokenSettings {

    /** The only algorithms CareChat signs or verifies with. */
    public static final Set<String> SUPPORTED_ALGORITHMS = Set.of("HS256", "RS256", "ES256");
    /** The default access-token lifetime, the contract's 15 minutes. */
    public static final Duration DEFAULT_ACCESS_TOKEN_TTL = Duration.ofMinutes(15);
    /** The default refresh-token lifetime: 14 days. */
    public static final Duration DEFAULT_REFRESH_TOKEN_TTL = Duration.ofDays(14);
    /** The default absolute lifetime of a refresh-token family: 30 days from its login. */
    public static final Duration DEFAULT_REFRESH_FAMILY_LIFETIME = Duration.ofDays(30);
    /** The longest absolute lifetime of a refresh-token family: 365 days. */
    public static final Duration MAX_REFRESH_FAMILY_LIFETIME = Duration.ofDays(365);
    /** The largest clock skew tolerated, the contract's 30 seconds (also the default). */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofSeconds(30);

    static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final int MIN_SECRET_BYTES = 32;
    private static final int MIN_RSA_BITS = 2048;
    private static final Duration MAX_ACCESS_TOKEN_TTL = Duration.ofHours(1);
    private static final Duration MAX_REFRESH_TOKEN_TTL = Duration.ofDays(90);

    private final String issuer;
    private final String audience;
    private final Duration accessTokenTtl;
    private final Duration refreshTokenTtl;
    private final Duration refreshFamilyLifetime;
    private final Duration clockSkew;
    private final List<JWK> keys;
    private final @Nullable JWK activeKey;
    private final boolean externalOnly;
    private final Set<JWSAlgorithm> allowedAlgorithms;
    private final List<ExternalIdentityProvider> externalProviders;

    private TokenSettings(Builder b, @Nullable JWK activeKey, Set<JWSAlgorithm> allowed) {
        this.issuer = requireNonNull(b.issuer);
        this.audience = requireNonNull(b.audience);
        this.accessTokenTtl = b.accessTokenTtl;
        this.refreshTokenTtl = b.refreshTokenTtl;
        this.refreshFamilyLifetime = b.refreshFamilyLifetime;
        this.clockSkew = b.clockSkew;
        this.keys = List.copyOf(b.keys);
        this.activeKey = activeKey;
        this.externalOnly = b.externalOnly;
        this.allowedAlgorithms = Set.copyOf(allowed);
        this.externalProviders = List.copyOf(b.externalProviders);
    }

    /**
     * Starts configuring token settings.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The {@code iss} of the tokens CareChat issues.
     *
     * @return the issuer
     */
    public String issuer() {
        return issuer;
    }

    /**
     * The {@code aud} of the tokens CareChat issues and accepts.
     *
     * @return the audience
     */
    public String audience() {
        return audience;
    }

    /**
     * How long an access token lives.
     *
     * @return the lifetime
     */
    public Duration accessTokenTtl() {
        return accessTokenTtl;
    }

    /**
     * How long a refresh token lives before it must have been used.
     *
     * @return the lifetime
     */
    public Duration refreshTokenTtl() {
        return refreshTokenTtl;
    }

    /**
     * How long a refresh-token family lives from its login, however often it is rotated: no
     * token of the family is accepted afterwards, and the user logs in again.
     *
     * @return the absolute lifetime
     */
    public Duration refreshFamilyLifetime() {
        return refreshFamilyLifetime;
    }

    /**
     * The clock skew tolerated when checking {@code exp}, {@code nbf} and {@code iat}.
     *
     * @return the skew, at most 30 s
     */
    public Duration clockSkew() {
        return clockSkew;
    }

    /**
     * The {@code kid} of the key that signs new tokens.
     *
     * @return the key id
     * @throws ConfigurationException in external-only mode, which has no signing key
     */
    public String activeKeyId() {
        return signingKey().getKeyID();
    }

    /**
     * Whether CareChat issues tokens itself; false in external-only mode
     * ({@link Builder#externalOnly()}), where only external identity providers' tokens are accepted.
     *
     * @return true when CareChat has a signing key and issues tokens
     */
    public boolean issuesTokens() {
        return !externalOnly;
    }

    /**
     * The algorithms accepted on CareChat's own tokens.
     *
     * @return algorithm names such as {@code RS256}
     */
    public Set<String> allowedAlgorithms() {
        Set<String> names = new LinkedHashSet<>();
        allowedAlgorithms.forEach(alg -> names.add(alg.getName()));
        return Set.copyOf(names);
    }

    /**
     * The identity providers whose tokens are accepted too.
     *
     * @return the providers
     */
    public List<ExternalIdentityProvider> externalProviders() {
        return externalProviders;
    }

    List<JWK> keys() {
        return keys;
    }

    @Nullable JWK activeKey() {
        return activeKey;
    }

    JWK signingKey() {
        if (activeKey == null) {
            throw externalOnlyRefusal();
        }
        return activeKey;
    }

    static ConfigurationException externalOnlyRefusal() {
        return new ConfigurationException("TokenSettings", List.of(
                "CareChat issues no tokens in external-only mode: sign in with the identity provider"));
    }

    Set<JWSAlgorithm> allowedJwsAlgorithms() {
        return allowedAlgorithms;
    }

    @Override
    public String toString() {
        return "TokenSettings[issuer=" + issuer + ", audience=" + audience + ", activeKeyId="
                + (activeKey == null ? "(external-only)" : activeKey.getKeyID()) + ", algorithms="
                + allowedAlgorithms() + "]";
    }

    /** Configures {@link TokenSettings}. Not thread-safe; use from one thread. */
    public static final class Builder {
        private @Nullable String issuer;
        private @Nullable String audience;
        private Duration accessTokenTtl = DEFAULT_ACCESS_TOKEN_TTL;
        private Duration refreshTokenTtl = DEFAULT_REFRESH_TOKEN_TTL;
        private Duration refreshFamilyLifetime = DEFAULT_REFRESH_FAMILY_LIFETIME;
        private Duration clockSkew = MAX_CLOCK_SKEW;
        private final List<JWK> keys = new ArrayList<>();
        private final List<String> keyProblems = new ArrayList<>();
        private @Nullable String activeKeyId;
        private @Nullable Set<String> allowedAlgorithms;
        private final List<ExternalIdentityProvider> externalProviders = new ArrayList<>();
        private boolean externalOnly;

        private Builder() {}

        /**
         * Turns on external-only mode: CareChat issues no tokens and takes no signing key; only the
         * tokens of the {@linkplain #externalProvider external providers} (at least one) are
         * accepted. Login and refresh then fail with a {@link ConfigurationException}; an embedder
         * turns its own sign-in endpoints off. The issuer and audience are still required: they
         * name this CareChat, and a token claiming its issuer is refused.
         *
         * @return this builder
         */
        public Builder externalOnly() {
            this.externalOnly = true;
            return this;
        }

        /**
         * Sets the issuer of CareChat's own tokens. Required.
         *
         * @param value such as {@code https://chat.example-hospital.org}
         * @return this builder
         */
        public Builder issuer(String value) {
            this.issuer = requireNonNull(value, "issuer");
            return this;
        }

        /**
         * Sets the audience of CareChat's own tokens. (An external provider's tokens carry that
         * provider's audience, {@link ExternalIdentityProvider.Builder#audience}.) Required.
         *
         * @param value such as {@code carechat}
         * @return this builder
         */
        public Builder audience(String value) {
            this.audience = requireNonNull(value, "audience");
            return this;
        }

        /**
         * Sets the access-token lifetime: more than zero, at most one hour; default 15 minutes.
         *
         * @param value the lifetime
         * @return this builder
         */
        public Builder accessTokenTtl(Duration value) {
            this.accessTokenTtl = requireNonNull(value, "accessTokenTtl");
            return this;
        }

        /**
         * Sets the refresh-token lifetime: longer than the access-token lifetime, at most 90 days;
         * default 14 days. Each rotation starts a new lifetime.
         *
         * @param value the lifetime
         * @return this builder
         */
        public Builder refreshTokenTtl(Duration value) {
            this.refreshTokenTtl = requireNonNull(value, "refreshTokenTtl");
            return this;
        }

        /**
         * Sets the absolute lifetime of a refresh-token family, counted from its login: longer than
         * the access-token lifetime, at most 365 days; default 30 days. A rotation never makes a
         * token that outlives it.
         *
         * @param value the lifetime
         * @return this builder
         */
        public Builder refreshFamilyLifetime(Duration value) {
            this.refreshFamilyLifetime = requireNonNull(value, "refreshFamilyLifetime");
            return this;
        }

        /**
         * Sets the clock skew tolerated: zero to 30 seconds; default 30 seconds.
         *
         * @param value the skew
         * @return this builder
         */
        public Builder clockSkew(Duration value) {
            this.clockSkew = requireNonNull(value, "clockSkew");
            return this;
        }

        /**
         * Adds an HS256 secret. It must hold at least 256 bits (32 bytes) from a secure random
         * source; a shorter one is refused by {@link #build()}. The array is copied.
         *
         * @param kid the key id, 1 to 64 characters from {@code [A-Za-z0-9._-]}
         * @param secret the secret bytes
         * @return this builder
         */
        public Builder hmacSecret(String kid, byte[] secret) {
            requireNonNull(kid, "kid");
            requireNonNull(secret, "secret");
            if (secret.length < MIN_SECRET_BYTES) {
                keyProblems.add("the HS256 secret '" + safeKid(kid) + "' has " + secret.length * 8
                        + " bits; at least 256 are required");
            } else if (allSame(secret)) {
                keyProblems.add("the HS256 secret '" + safeKid(kid) + "' repeats one byte; use random bytes");
            } else {
                keys.add(new OctetSequenceKey.Builder(secret.clone())
                        .keyID(kid).algorithm(JWSAlgorithm.HS256).keyUse(KeyUse.SIGNATURE).build());
            }
            return this;
        }

        /**
         * Adds an RSA key pair (at least 2048 bits) that signs with RS256.
         *
         * @param kid the key id, 1 to 64 characters from {@code [A-Za-z0-9._-]}
         * @param pair the key pair
         * @return this builder
         */
        public Builder rsaKey(String kid, KeyPair pair) {
            requireNonNull(kid, "kid");
            requireNonNull(pair, "pair");
            if (pair.getPublic() instanceof RSAPublicKey pub && pair.getPrivate() instanceof RSAPrivateKey priv) {
                if (pub.getModulus().bitLength() < MIN_RSA_BITS) {
                    keyProblems.add("the RSA key '" + safeKid(kid) + "' has fewer than 2048 bits");
                } else {
                    keys.add(new RSAKey.Builder(pub).privateKey(priv)
                            .keyID(kid).algorithm(JWSAlgorithm.RS256).keyUse(KeyUse.SIGNATURE).build());
                }
            } else {
                keyProblems.add("the key '" + safeKid(kid) + "' is not an RSA key pair");
            }
            return this;
        }

        /**
         * Adds an EC key pair on the P-256 curve that signs with ES256.
         *
         * @param kid the key id, 1 to 64 characters from {@code [A-Za-z0-9._-]}
         * @param pair the key pair
         * @return this builder
         */
        public Builder ecKey(String kid, KeyPair pair) {
            requireNonNull(kid, "kid");
            requireNonNull(pair, "pair");
            if (pair.getPublic() instanceof ECPublicKey pub && pair.getPrivate() instanceof ECPrivateKey priv
                    && Curve.P_256.equals(Curve.forECParameterSpec(pub.getParams()))) {
                keys.add(new ECKey.Builder(Curve.P_256, pub).privateKey(priv)
                        .keyID(kid).algorithm(JWSAlgorithm.ES256).keyUse(KeyUse.SIGNATURE).build());
            } else {
                keyProblems.add("the key '" + safeKid(kid) + "' is not an EC key pair on P-256");
            }
            return this;
        }

        /**
         * Adds a public key that only verifies: a retired signing key whose tokens may still be
         * live. RSA keys verify RS256, EC P-256 keys ES256.
         *
         * @param kid the key id, 1 to 64 characters from {@code [A-Za-z0-9._-]}
         * @param key the public key
         * @return this builder
         */
        public Builder verificationKey(String kid, PublicKey key) {
            requireNonNull(kid, "kid");
            requireNonNull(key, "key");
            if (key instanceof RSAPublicKey pub && pub.getModulus().bitLength() >= MIN_RSA_BITS) {
                keys.add(new RSAKey.Builder(pub).keyID(kid).algorithm(JWSAlgorithm.RS256)
                        .keyUse(KeyUse.SIGNATURE).build());
            } else if (key instanceof ECPublicKey pub
                    && Curve.P_256.equals(Curve.forECParameterSpec(pub.getParams()))) {
                keys.add(new ECKey.Builder(Curve.P_256, pub).keyID(kid).algorithm(JWSAlgorithm.ES256)
                        .keyUse(KeyUse.SIGNATURE).build());
            } else {
                keyProblems.add("the key '" + safeKid(kid) + "' is neither RSA of 2048+ bits nor EC on P-256");
            }
            return this;
        }

        /**
         * Chooses which key signs new tokens; by default the first key added that has a private
         * part (or a secret).
         *
         * @param kid the key id
         * @return this builder
         */
        public Builder activeKeyId(String kid) {
            this.activeKeyId = requireNonNull(kid, "kid");
            return this;
        }

        /**
         * Sets the algorithm allowlist for CareChat's own tokens; by default the algorithms of the
         * configured keys. Only {@code HS256}, {@code RS256} and {@code ES256} are supported.
         *
         * @param names the algorithm names
         * @return this builder
         */
        public Builder allowedAlgorithms(String... names) {
            this.allowedAlgorithms = Set.copyOf(Arrays.asList(names));
            return this;
        }

        /**
         * Accepts tokens from a hospital's own identity provider too.
         *
         * @param provider the provider's settings
         * @return this builder
         */
        public Builder externalProvider(ExternalIdentityProvider provider) {
            externalProviders.add(requireNonNull(provider, "provider"));
            return this;
        }

        /**
         * Checks everything and builds the settings.
         *
         * @return the settings
         * @throws ConfigurationException listing every problem found
         */
        public TokenSettings build() {
            List<String> problems = new ArrayList<>(keyProblems);
            if (issuer == null || issuer.isBlank()) {
                problems.add("issuer is required");
            }
            if (audience == null || audience.isBlank()) {
                problems.add("audience is required");
            }
            if (accessTokenTtl.isNegative() || accessTokenTtl.isZero()
                    || accessTokenTtl.compareTo(MAX_ACCESS_TOKEN_TTL) > 0) {
                problems.add("accessTokenTtl must be more than zero and at most " + MAX_ACCESS_TOKEN_TTL);
            }
            if (refreshTokenTtl.compareTo(accessTokenTtl) <= 0
                    || refreshTokenTtl.compareTo(MAX_REFRESH_TOKEN_TTL) > 0) {
                problems.add("refreshTokenTtl must be longer than accessTokenTtl and at most "
                        + MAX_REFRESH_TOKEN_TTL);
            }
            if (refreshFamilyLifetime.compareTo(accessTokenTtl) <= 0
                    || refreshFamilyLifetime.compareTo(MAX_REFRESH_FAMILY_LIFETIME) > 0) {
                problems.add("refreshFamilyLifetime must be longer than accessTokenTtl and at most "
                        + MAX_REFRESH_FAMILY_LIFETIME);
            }
            if (clockSkew.isNegative() || clockSkew.compareTo(MAX_CLOCK_SKEW) > 0) {
                problems.add("clockSkew must be 0 to 30 seconds");
            }
            Set<String> kids = new HashSet<>();
            for (JWK key : keys) {
                if (!KEY_ID.matcher(key.getKeyID()).matches()) {
                    problems.add("a key id must be 1 to 64 characters from [A-Za-z0-9._-]");
                } else if (!kids.add(key.getKeyID())) {
                    problems.add("the key id '" + key.getKeyID() + "' is used twice");
                }
            }
            if (externalOnly) {
                if (!keys.isEmpty() || !keyProblems.isEmpty()) {
                    problems.add("external-only mode takes no signing or verification key");
                }
                if (externalProviders.isEmpty()) {
                    problems.add("external-only mode needs at least one external provider");
                }
            }
            JWK active = externalOnly ? null : chooseActiveKey(problems);
            Set<JWSAlgorithm> allowed = chooseAlgorithms(problems, active);
            Set<String> issuers = new HashSet<>();
            issuers.add(issuer);
            for (ExternalIdentityProvider provider : externalProviders) {
                if (!issuers.add(provider.issuer())) {
                    problems.add("the issuer '" + provider.issuer() + "' is configured twice");
                }
            }
            if (!problems.isEmpty() || (active == null && !externalOnly)) {
                throw new ConfigurationException("TokenSettings", problems);
            }
            return new TokenSettings(this, active, allowed);
        }

        private @Nullable JWK chooseActiveKey(List<String> problems) {
            for (JWK key : keys) {
                if (key.isPrivate() && (activeKeyId == null || activeKeyId.equals(key.getKeyID()))) {
                    return key;
                }
            }
            if (activeKeyId != null) {
                problems.add("activeKeyId names no signing key with a private part");
            } else if (keyProblems.isEmpty()) {
                problems.add("a signing key is required: an HS256 secret, an RSA or an EC key pair");
            }
            return null;
        }

        private Set<JWSAlgorithm> chooseAlgorithms(List<String> problems, @Nullable JWK active) {
            Set<JWSAlgorithm> allowed = new LinkedHashSet<>();
            if (allowedAlgorithms == null) {
                keys.forEach(key -> allowed.add(JWSAlgorithm.parse(key.getAlgorithm().getName())));
                return allowed;
            }
            for (String name : allowedAlgorithms) {
                if (SUPPORTED_ALGORITHMS.contains(name)) {
                    allowed.add(JWSAlgorithm.parse(name));
                } else {
                    problems.add("the algorithm '" + name + "' is not supported; use HS256, RS256 or ES256");
                }
            }
            if (active != null && !allowed.contains(JWSAlgorithm.parse(active.getAlgorithm().getName()))) {
                problems.add("the allowlist leaves out the active key's algorithm "
                        + active.getAlgorithm().getName());
            }
            return allowed;
        }

        private static String safeKid(String kid) {
            return KEY_ID.matcher(kid).matches() ? kid : "(malformed id)";
        }

        private static boolean allSame(byte[] secret) {
            for (byte b : secret) {
                if (b != secret[0]) {
                    return false;
                }
            }
            return true;
        }
    }
}
