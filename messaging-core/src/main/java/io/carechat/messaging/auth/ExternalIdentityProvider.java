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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A hospital's own identity provider whose access tokens CareChat accepts: its issuer, the
 * audiences its tokens may carry, where its public keys are (a JWKS URL that the server fetches
 * and caches, a file, or JSON given inline), the algorithms and token types accepted, which claims
 * are required, how its claims map to a CareChat user id and roles, and whether an unknown subject
 * becomes a CareChat user on its first valid token. Header parameters {@code jku}, {@code x5u},
 * {@code jwk} and {@code x5c} are never followed: keys come only from the configured set.
 *
 * <p>By default, following RFC 9068: the header {@code typ} is {@code at+jwt} (or
 * {@code application/at+jwt}); the claims {@code iss}, {@code exp}, {@code aud}, {@code sub},
 * {@code iat}, {@code jti} and the {@linkplain Builder#userIdClaim user id claim} (by default
 * {@code sub}) are required ({@code client_id} is not: Entra ID, Okta and Keycloak name the client otherwise);
 * {@code aud} must hold one of the provider's audiences; roles come from the {@code roles} claim
 * with the values {@code ADMIN}, {@code DOCTOR} and {@code PATIENT}; a token whose values map to no
 * role is refused; users are not provisioned. {@link Builder#optionalClaims} relaxes {@code jti}
 * and {@code iat} for providers that omit them, {@link Builder#acceptedTypes} and
 * {@link Builder#acceptMissingType} accept {@code JWT} or no {@code typ}, and
 * {@link Builder#defaultRole} gives a role to tokens whose values map to none.
 *
 * <p>Immutable and thread-safe; build one with {@link #builder()}. A file or inline key set is
 * read once, at {@link Builder#build()}; a URL is fetched on first use and cached.
 */
public final class ExternalIdentityProvider {

    private static final Set<String> LOOPBACK_HOSTS = Set.of("127.0.0.1", "localhost", "[::1]", "::1");
    private static final int JWKS_TIMEOUT_MILLIS = 2_000;
    private static final int JWKS_SIZE_LIMIT = 256 * 1024;
    private static final Set<String> RELAXABLE_CLAIMS = Set.of("jti", "iat");
    private static final Pattern CLAIM_PATH =
            Pattern.compile("[A-Za-z0-9_:-]{1,64}(\\.[A-Za-z0-9_:-]{1,64}){0,3}");
    private static final Duration DEFAULT_MIN_REFETCH_INTERVAL = Duration.ofSeconds(30);

    private final String issuer;
    private final Set<String> audiences;
    private final Set<String> optionalClaims;
    private final boolean acceptsMissingType;
    private final List<String> rolesClaims;
    private final @Nullable Role defaultRole;
    private final @Nullable JustInTimeProvisioning provisioning;
    private final JWKSource<SecurityContext> keySource;
    private final @Nullable Set<String> keyIds;
    private final Map<String, JWSAlgorithm> keyAlgorithms;
    private final Set<JWSAlgorithm> algorithms;
    private final Set<String> acceptedTypes;
    private final String userIdClaim;
    private final Map<String, Role> roleMapping;

    private ExternalIdentityProvider(Builder b, JWKSource<SecurityContext> keySource,
            @Nullable JWKSet keySet, Set<JWSAlgorithm> algorithms) {
        this.issuer = requireNonNull(b.issuer);
        this.audiences = Collections.unmodifiableSet(new LinkedHashSet<>(b.audiences));
        this.optionalClaims = Set.copyOf(b.optionalClaims);
        this.acceptsMissingType = b.acceptMissingType;
        this.rolesClaims = List.copyOf(b.rolesClaims);
        this.defaultRole = b.defaultRole;
        this.provisioning = b.provisioning;
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
     * The first of the audiences its tokens may carry ({@link #audiences()}).
     *
     * @return the audience
     */
    public String audience() {
        return audiences.iterator().next();
    }

    /**
     * The audiences accepted: a token's {@code aud} must hold at least one of them.
     *
     * @return the audiences, in the order configured
     */
    public Set<String> audiences() {
        return audiences;
    }

    /**
     * The claims of RFC 9068's required set that this provider may omit: {@code jti}, {@code iat},
     * both or neither (the default).
     *
     * @return the claims that may be missing
     */
    public Set<String> optionalClaims() {
        return optionalClaims;
    }

    /**
     * Whether a token with no header {@code typ} is accepted.
     *
     * @return true when a missing {@code typ} is accepted
     */
    public boolean acceptsMissingType() {
        return acceptsMissingType;
    }

    /**
     * The role a token gets when none of its values maps to a role; empty when such a token is
     * refused (the default).
     *
     * @return the default role, if any
     */
    public Optional<Role> defaultRole() {
        return Optional.ofNullable(defaultRole);
    }

    /**
     * How unknown subjects become users on their first valid token; empty when they do not (the
     * default).
     *
     * @return the provisioning settings, if on
     */
    public Optional<JustInTimeProvisioning> provisioning() {
        return Optional.ofNullable(provisioning);
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
     * The first claim path that holds roles ({@link #rolesClaims()}).
     *
     * @return the claim path
     */
    public String rolesClaim() {
        return rolesClaims.get(0);
    }

    /**
     * The claims that hold roles, each a name or a dotted path into nested objects (such as
     * Keycloak's {@code realm_access.roles}); each holds an array of strings or one space-separated
     * string, and the values of all of them count.
     *
     * @return the claim paths
     */
    public List<String> rolesClaims() {
        return rolesClaims;
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
        return "ExternalIdentityProvider[issuer=" + issuer + ", audiences=" + audiences + "]";
    }

    /** Configures an {@link ExternalIdentityProvider}. Not thread-safe; use from one thread. */
    public static final class Builder {
        private @Nullable String issuer;
        private final Set<String> audiences = new LinkedHashSet<>();
        private Set<String> optionalClaims = Set.of();
        private boolean acceptMissingType;
        private List<String> rolesClaims = List.of("roles");
        private @Nullable Role defaultRole;
        private @Nullable JustInTimeProvisioning provisioning;
        private Duration minRefetchInterval = DEFAULT_MIN_REFETCH_INTERVAL;
        private @Nullable URI jwksUrl;
        private @Nullable Path jwksFile;
        private @Nullable String jwksJson;
        private Set<String> algorithms = Set.of("RS256", "ES256");
        private Set<String> acceptedTypes = Set.of("at+jwt", "application/at+jwt");
        private String userIdClaim = "sub";
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
         * Sets the one audience its tokens must carry, such as an Entra ID application id,
         * {@code api://default} for Okta, or a Keycloak client id. This or {@link #audiences} is
         * required.
         *
         * @param value the audience
         * @return this builder
         */
        public Builder audience(String value) {
            return audiences(value);
        }

        /**
         * Sets the audiences accepted: a token's {@code aud} must hold at least one of them (Entra
         * ID, for one, issues either the application id or its {@code api://} URI). Replaces what
         * was set before.
         *
         * @param values the audiences, at least one
         * @return this builder
         */
        public Builder audiences(String... values) {
            audiences.clear();
            for (String value : values) {
                audiences.add(requireNonNull(value, "audience"));
            }
            return this;
        }

        /**
         * Lets the provider's tokens omit claims RFC 9068 requires: only {@code jti} and
         * {@code iat} may be named. Without {@code iat}, a token counts as issued at its {@code nbf},
         * or else one day before its {@code exp}, so that a revocation refuses it rather than
         * letting it through; without {@code jti}, {@link VerifiedAccessToken#jti()} is null.
         *
         * @param claims {@code jti}, {@code iat}, or both
         * @return this builder
         */
        public Builder optionalClaims(String... claims) {
            this.optionalClaims = Set.copyOf(Arrays.asList(claims));
            return this;
        }

        /**
         * Accepts tokens with no header {@code typ} (Okta's access tokens carry none). Off by
         * default.
         *
         * @param value true to accept a missing {@code typ}
         * @return this builder
         */
        public Builder acceptMissingType(boolean value) {
            this.acceptMissingType = value;
            return this;
        }

        /**
         * Gives tokens whose role values map to no role this role (usually {@link Role#PATIENT}).
         * By default such a token is refused, with audit reason {@code no_mapped_role}: a hospital's
         * staff member whose directory groups were not mapped should not silently become a patient.
         *
         * @param role the role given
         * @return this builder
         */
        public Builder defaultRole(Role role) {
            this.defaultRole = requireNonNull(role, "role");
            return this;
        }

        /**
         * Creates a CareChat user for an unknown subject on its first valid token. Off by default.
         *
         * @param value the provisioning settings, such as {@link JustInTimeProvisioning#standard()}
         * @return this builder
         */
        public Builder provisioning(JustInTimeProvisioning value) {
            this.provisioning = requireNonNull(value, "provisioning");
            return this;
        }

        /**
         * Sets the shortest time between two fetches of the JWKS URL; a token with a {@code kid}
         * not in the cached set makes the server fetch the set again, at most this often. The
         * default is 30 seconds; zero fetches again on every miss.
         *
         * @param value the interval, zero to 1 minute
         * @return this builder
         */
        public Builder jwksMinRefetchInterval(Duration value) {
            this.minRefetchInterval = requireNonNull(value, "interval");
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
         * a well-formed {@link io.carechat.messaging.model.UserId} (up to 255 characters). The id
         * is kept and shown as it is (audit trail, exports, debug logs), so prefer an opaque claim
         * ({@code oid} for Entra ID, {@code uid} for Okta) over an e-mail-shaped subject.
         *
         * @param claim the claim name
         * @return this builder
         */
        public Builder userIdClaim(String claim) {
            this.userIdClaim = requireNonNull(claim, "claim");
            return this;
        }

        /**
         * Sets the claim holding the roles; the default is {@code roles}. A dotted path reads into
         * nested objects: Keycloak's realm roles are {@code realm_access.roles}, a client's roles
         * {@code resource_access.<client>.roles}.
         *
         * @param claim the claim name or path
         * @return this builder
         */
        public Builder rolesClaim(String claim) {
            return rolesClaims(claim);
        }

        /**
         * Sets several claims holding roles, such as {@code roles} and {@code groups}; the values
         * of all count.
         *
         * @param claims the claim names or dotted paths, at least one
         * @return this builder
         */
        public Builder rolesClaims(String... claims) {
            for (String claim : claims) {
                requireNonNull(claim, "claim");
            }
            this.rolesClaims = List.of(claims);
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
            if (audiences.isEmpty() || audiences.stream().anyMatch(String::isBlank)) {
                problems.add("at least one audience is required, and none may be blank");
            }
            for (String claim : optionalClaims) {
                if (!RELAXABLE_CLAIMS.contains(claim)) {
                    problems.add("only jti and iat may be optional, not '" + claim + "'");
                }
            }
            if (rolesClaims.isEmpty()) {
                problems.add("at least one roles claim is required");
            }
            for (String claim : rolesClaims) {
                if (!CLAIM_PATH.matcher(claim).matches()) {
                    problems.add("a roles claim must be a claim name or a dotted path of up to 4 names");
                }
            }
            if (minRefetchInterval.isNegative() || minRefetchInterval.compareTo(Duration.ofMinutes(1)) > 0) {
                problems.add("jwksMinRefetchInterval must be zero to 1 minute");
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
                source = remoteSource(jwksUrl, minRefetchInterval, problems);
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

        private static @Nullable JWKSource<SecurityContext> remoteSource(URI url, Duration minRefetchInterval,
                List<String> problems) {
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            String host = url.getHost() == null ? "" : url.getHost().toLowerCase(Locale.ROOT);
            if (!scheme.equals("https") && !(scheme.equals("http") && LOOPBACK_HOSTS.contains(host))) {
                problems.add("jwksUrl must use https (plain http only on a loopback address)");
                return null;
            }
            try {
                JWKSourceBuilder<SecurityContext> builder = JWKSourceBuilder.<SecurityContext>create(url.toURL(),
                                new DefaultResourceRetriever(JWKS_TIMEOUT_MILLIS, JWKS_TIMEOUT_MILLIS, JWKS_SIZE_LIMIT))
                        .retrying(false);
                return (minRefetchInterval.isZero() ? builder.rateLimited(false)
                        : builder.rateLimited(minRefetchInterval.toMillis())).build();
            } catch (MalformedURLException | IllegalArgumentException e) {
                problems.add("jwksUrl is not a valid URL");
                return null;
            }
        }
    }
}
