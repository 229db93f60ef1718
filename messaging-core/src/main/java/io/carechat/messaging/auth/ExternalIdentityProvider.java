package io.carechat.messaging.auth;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import io.carechat.messaging.error.ConfigurationException;
import io.carechat.messaging.model.Role;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A hospital's own identity provider whose access tokens CareChat accepts: its issuer, the
 * audience its tokens must carry, where its public keys are (a JWKS URL that the server fetches
 * and caches, a file, or JSON given inline), the algorithms and token types accepted, and how its
 * claims map to a CareChat user id and roles. Header parameters {@code jku}, {@code x5u},
 * {@code jwk} and {@code x5c} are never followed: keys come only from the configured set.
 *
 * <p>Immutable and thread-safe; build one with {@link #builder()}. A file or inline key set is
 * read once, at {@link Builder#build()}; a URL is fetched on first use and cached.
 */
public final class ExternalIdentityProvider {

    private static final Set<String> LOOPBACK_HOSTS = Set.of("127.0.0.1", "localhost", "[::1]", "::1");
    private static final int JWKS_TIMEOUT_MILLIS = 2_000;
    private static final int JWKS_SIZE_LIMIT = 256 * 1024;

    private final String issuer;
    private final String audience;
    private final JWKSource<SecurityContext> keySource;
    private final @Nullable Set<String> keyIds;
    private final Map<String, JWSAlgorithm> keyAlgorithms;
    private final Set<JWSAlgorithm> algorithms;
    private final Set<String> acceptedTypes;
    private final String userIdClaim;
    private final String rolesClaim;
    private final Map<String, Role> roleMapping;

    private ExternalIdentityProvider(Builder b, JWKSource<SecurityContext> keySource,
            @Nullable JWKSet keySet, Set<JWSAlgorithm> algorithms) {
        this.issuer = requireNonNull(b.issuer);
        this.audience = requireNonNull(b.audience);
        this.keySource = keySource;
        Map<String, JWSAlgorithm> bound = new LinkedHashMap<>();
        Set<String> kids = new LinkedHashSet<>();
        if (keySet != null) {
            for (JWK key : keySet.getKeys()) {
                kids.add(key.getKeyID());
                if (key.getAlgorithm() != null) {
                    bound.put(key.getKeyID(), JWSAlgorithm.parse(key.getAlgorithm().getName()));
                }
            }
        }
        this.keyIds = keySet == null ? null : Set.copyOf(kids);
        this.keyAlgorithms = Map.copyOf(bound);
        this.algorithms = Set.copyOf(algorithms);
        this.acceptedTypes = Set.copyOf(b.acceptedTypes);
        this.userIdClaim = b.userIdClaim;
        this.rolesClaim = b.rolesClaim;
        this.roleMapping = Map.copyOf(b.roleMapping);
    }

    /**
     * Starts configuring a provider.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The {@code iss} its tokens carry.
     *
     * @return the issuer
     */
    public String issuer() {
        return issuer;
    }

    /**
     * The {@code aud} its tokens must carry.
     *
     * @return the audience
     */
    public String audience() {
        return audience;
    }

    /**
     * The claim that holds the CareChat user id.
     *
     * @return the claim name
     */
    public String userIdClaim() {
        return userIdClaim;
    }

    /**
     * The claim that holds the roles (an array of strings, or one space-separated string).
     *
     * @return the claim name
     */
    public String rolesClaim() {
        return rolesClaim;
    }

    /**
     * How role values in tokens map to CareChat roles; unmapped values are ignored.
     *
     * @return the mapping
     */
    public Map<String, Role> roleMapping() {
        return roleMapping;
    }

    JWKSource<SecurityContext> keySource() {
        return keySource;
    }

    @Nullable Set<String> knownKeyIds() {
        return keyIds;
    }

    Map<String, JWSAlgorithm> keyAlgorithms() {
        return keyAlgorithms;
    }

    Set<JWSAlgorithm> algorithms() {
        return algorithms;
    }

    Set<String> acceptedTypes() {
        return acceptedTypes;
    }

    @Override
    public String toString() {
        return "ExternalIdentityProvider[issuer=" + issuer + ", audience=" + audience + "]";
    }

    /** Configures an {@link ExternalIdentityProvider}. Not thread-safe; use from one thread. */
    public static final class Builder {
        private @Nullable String issuer;
        private @Nullable String audience;
        private @Nullable URI jwksUrl;
        private @Nullable Path jwksFile;
        private @Nullable String jwksJson;
        private Set<String> algorithms = Set.of("RS256", "ES256");
        private Set<String> acceptedTypes = Set.of("at+jwt");
        private String userIdClaim = "sub";
        private String rolesClaim = "roles";
        private final Map<String, Role> roleMapping = new LinkedHashMap<>();

        private Builder() {}

        /**
         * Sets the issuer its tokens carry, exactly. Required.
         *
         * @param value the issuer
         * @return this builder
         */
        public Builder issuer(String value) {
            this.issuer = requireNonNull(value, "issuer");
            return this;
        }

        /**
         * Sets the audience its tokens must carry. Required.
         *
         * @param value the audience
         * @return this builder
         */
        public Builder audience(String value) {
            this.audience = requireNonNull(value, "audience");
            return this;
        }

        /**
         * Reads the public keys from a JWKS URL, fetched by the server with short timeouts and a
         * size limit, and cached. Must be {@code https}, or {@code http} on a loopback address.
         *
         * @param value the URL
         * @return this builder
         */
        public Builder jwksUrl(URI value) {
            this.jwksUrl = requireNonNull(value, "jwksUrl");
            return this;
        }

        /**
         * Reads the public keys from a JWKS file, once at {@link #build()}.
         *
         * @param value the file
         * @return this builder
         */
        public Builder jwksFile(Path value) {
            this.jwksFile = requireNonNull(value, "jwksFile");
            return this;
        }

        /**
         * Takes the public keys from JWKS JSON.
         *
         * @param json the JWKS document
         * @return this builder
         */
        public Builder jwks(String json) {
            this.jwksJson = requireNonNull(json, "json");
            return this;
        }

        /**
         * Sets the algorithms accepted: {@code RS256} and/or {@code ES256} (the default is both).
         *
         * @param names the algorithm names
         * @return this builder
         */
        public Builder allowedAlgorithms(String... names) {
            this.algorithms = Set.copyOf(Arrays.asList(names));
            return this;
        }

        /**
         * Sets the accepted header {@code typ} values; the default is {@code at+jwt} (RFC 9068).
         * Some providers send {@code JWT}; accept it only if the provider issues no other JWT (such
         * as ID tokens) for this audience.
         *
         * @param types the types
         * @return this builder
         */
        public Builder acceptedTypes(String... types) {
            this.acceptedTypes = Set.copyOf(Arrays.asList(types));
            return this;
        }

        /**
         * Sets the claim holding the CareChat user id; the default is {@code sub}. Its value must be
         * a well-formed {@link io.carechat.messaging.model.UserId}.
         *
         * @param claim the claim name
         * @return this builder
         */
        public Builder userIdClaim(String claim) {
            this.userIdClaim = requireNonNull(claim, "claim");
            return this;
        }

        /**
         * Sets the claim holding the roles; the default is {@code roles}.
         *
         * @param claim the claim name
         * @return this builder
         */
        public Builder rolesClaim(String claim) {
            this.rolesClaim = requireNonNull(claim, "claim");
            return this;
        }

        /**
         * Maps a role value of the provider's tokens to a CareChat role. Without any mapping, the
         * values {@code ADMIN}, {@code DOCTOR} and {@code PATIENT} map to themselves.
         *
         * @param value the provider's role value, such as {@code physician}
         * @param role the CareChat role
         * @return this builder
         */
        public Builder mapRole(String value, Role role) {
            roleMapping.put(requireNonNull(value, "value"), requireNonNull(role, "role"));
            return this;
        }

        /**
         * Checks everything, reads a file or inline key set, and builds the provider.
         *
         * @return the provider
         * @throws ConfigurationException listing every problem found
         */
        public ExternalIdentityProvider build() {
            List<String> problems = new ArrayList<>();
            if (issuer == null || issuer.isBlank()) {
                problems.add("issuer is required");
            }
            if (audience == null || audience.isBlank()) {
                problems.add("audience is required");
            }
            Set<JWSAlgorithm> allowed = new LinkedHashSet<>();
            for (String name : algorithms) {
                if (name.equals("RS256") || name.equals("ES256")) {
                    allowed.add(JWSAlgorithm.parse(name));
                } else {
                    problems.add("the algorithm '" + name + "' is not accepted from a provider; use RS256 or ES256");
                }
            }
            if (allowed.isEmpty()) {
                problems.add("at least one algorithm is required");
            }
            if (acceptedTypes.isEmpty()) {
                problems.add("at least one accepted typ is required");
            }
            if (roleMapping.isEmpty()) {
                for (Role role : Role.values()) {
                    roleMapping.put(role.name(), role);
                }
            }
            int sources = (jwksUrl == null ? 0 : 1) + (jwksFile == null ? 0 : 1) + (jwksJson == null ? 0 : 1);
            JWKSource<SecurityContext> source = null;
            JWKSet keySet = null;
            if (sources != 1) {
                problems.add("exactly one of jwksUrl, jwksFile and jwks is required");
            } else if (jwksUrl != null) {
                source = remoteSource(jwksUrl, problems);
            } else {
                keySet = readKeySet(problems);
                if (keySet != null) {
                    source = new ImmutableJWKSet<>(keySet);
                    if (keySet.getKeys().stream().anyMatch(key -> key.getKeyID() == null)) {
                        problems.add("every key in the provider's key set needs a kid");
                    }
                }
            }
            if (!problems.isEmpty() || source == null) {
                throw new ConfigurationException("ExternalIdentityProvider", problems);
            }
            return new ExternalIdentityProvider(this, source, keySet, allowed);
        }

        private @Nullable JWKSet readKeySet(List<String> problems) {
            try {
                String json = jwksJson != null
                        ? jwksJson
                        : Files.readString(requireNonNull(jwksFile), StandardCharsets.UTF_8);
                JWKSet set = JWKSet.parse(json).toPublicJWKSet();
                if (set.isEmpty()) {
                    problems.add("the provider's key set holds no public key");
                    return null;
                }
                return set;
            } catch (IOException e) {
                problems.add("the JWKS file cannot be read: " + e.getClass().getSimpleName());
            } catch (ParseException e) {
                problems.add("the JWKS is not a valid key set");
            }
            return null;
        }

        private static @Nullable JWKSource<SecurityContext> remoteSource(URI url, List<String> problems) {
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            String host = url.getHost() == null ? "" : url.getHost().toLowerCase(Locale.ROOT);
            if (!scheme.equals("https") && !(scheme.equals("http") && LOOPBACK_HOSTS.contains(host))) {
                problems.add("jwksUrl must use https (plain http only on a loopback address)");
                return null;
            }
            try {
                return JWKSourceBuilder.<SecurityContext>create(url.toURL(),
                                new DefaultResourceRetriever(JWKS_TIMEOUT_MILLIS, JWKS_TIMEOUT_MILLIS, JWKS_SIZE_LIMIT))
                        .retrying(false)
                        .build();
            } catch (MalformedURLException | IllegalArgumentException e) {
                problems.add("jwksUrl is not a valid URL");
                return null;
            }
        }
    }
}
