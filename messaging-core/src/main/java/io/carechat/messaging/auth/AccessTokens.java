package io.carechat.messaging.auth;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.carechat.messaging.audit.AuditRecorder;
import io.carechat.messaging.audit.RefusalAggregator;
import io.carechat.messaging.error.ConfigurationException;
import io.carechat.messaging.error.UnauthenticatedException;
import io.carechat.messaging.metrics.MessagingMetrics;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.AuditSink;
import io.carechat.messaging.spi.UserStore;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Issues CareChat's access tokens and verifies access tokens (CareChat's own and those of the
 * configured external identity providers), turning a valid one into a {@link Caller}.
 *
 * <p>An access token is a JWS with header {@code typ} {@code at+jwt} and a {@code kid}, signed with
 * the active key, carrying {@code iss}, {@code aud}, {@code sub}, {@code exp}, {@code iat},
 * {@code jti}, {@code roles}, {@code is_admin}, {@code is_doctor}, {@code is_patient} and
 * {@code username}; all of them are required when CareChat's own token is verified. Verification
 * refuses, with one generic {@link UnauthenticatedException} and an audit event
 * {@code token.rejected} naming the reason: an algorithm outside the allowlist ({@code none} in any
 * case included), a missing, malformed or unknown {@code kid}, a {@code kid} used with another
 * algorithm than its key's, any {@code jku}, {@code jwk}, {@code x5u} or {@code x5c} header (never
 * followed), a wrong {@code typ}, a bad signature, a missing claim, a wrong issuer or audience, an
 * expired token or one not yet valid (beyond the clock skew), a roles claim that is malformed or
 * contradicts the {@code is_*} flags, a token longer than {@value #MAX_TOKEN_CHARS} characters, and
 * JSON nested deeper than {@value #MAX_JSON_DEPTH} levels.
 *
 * <p>Each provider's tokens must carry one of that provider's own audiences
 * ({@link ExternalIdentityProvider#audiences()}); CareChat's carry {@link TokenSettings#audience()}.
 * A provider's tokens are checked by its own rules: the claims it must carry, its accepted
 * {@code typ} values, its role claims (dotted paths into nested objects, such as Keycloak's
 * {@code realm_access.roles}) and role mapping, and what a token whose values map to no role gets
 * (refused with reason {@code no_mapped_role}, unless a default role is set). A provider with
 * {@linkplain ExternalIdentityProvider#provisioning() provisioning} creates the user of an unknown
 * subject on its first valid token; that needs the user store
 * ({@link #create(TokenSettings, AuditSink, Clock, TokenRevocations, RefusalAggregator, UserStore)}).
 *
 * <p>In external-only mode ({@link TokenSettings#issuesTokens()} false) there is no signing key:
 * {@link #issue} fails with a {@link io.carechat.messaging.error.ConfigurationException}, and a
 * token naming CareChat's own issuer is refused.
 *
 * <p>Revocation is immediate: a token issued before its user's valid-after instant (moved by
 * logout, disabling and role changes; see {@link TokenRevocations}) is refused with reason
 * {@code revoked}, from memory, without a store read per call. CareChat's tokens carry their issue
 * time to the millisecond in the {@code iat_ms} claim, so a token issued right after a revocation
 * holds even within the same second. Every decision about data is checked again against the
 * stores.
 *
 * <p>Thread-safe. Lifecycle: create one with {@link #create(TokenSettings, AuditSink, Clock,
 * TokenRevocations)} and share it; it holds no resources of its own (the {@link TokenRevocations}
 * are closed by whoever made them).
 */
public final class AccessTokens {

    /** The longest token accepted, in characters. */
    public static final int MAX_TOKEN_CHARS = 8_192;
    /** The deepest JSON nesting accepted in a token's header or claims. */
    public static final int MAX_JSON_DEPTH = 8;
    /** The claim holding the issue time in milliseconds since the epoch, within {@code iat}'s second. */
    public static final String ISSUED_AT_MILLIS = "iat_ms";

    static final String GENERIC_FAILURE = "invalid or expired access token";
    static final String ACCESS_TOKEN_TYPE = "at+jwt";
    private static final Set<String> FORBIDDEN_HEADERS = Set.of("jku", "jwk", "x5u", "x5c");
    private static final Set<String> OWN_REQUIRED_CLAIMS = Set.of(
            "iss", "aud", "sub", "exp", "iat", "jti", "roles", "is_admin", "is_doctor", "is_patient", "username");
    /** RFC 9068's required claims but {@code client_id}, which the common providers name otherwise. */
    private static final Set<String> EXTERNAL_REQUIRED_CLAIMS = Set.of("iss", "aud", "sub", "exp", "iat", "jti");

    private final TokenSettings settings;
    private final AuditRecorder audit;
    private final Clock clock;
    private final TokenRevocations revocations;
    private final @Nullable JWSSigner signer;
    private final @Nullable JWSHeader signingHeader;
    private final @Nullable IssuerVerifier own;
    private final Map<String, IssuerVerifier> external = new HashMap<>();
    private final String jwksJson;
    private final MessagingMetrics metrics;

    private AccessTokens(TokenSettings settings, AuditRecorder audit, Clock clock, TokenRevocations revocations,
            @Nullable UserStore users, MessagingMetrics metrics) {
        this.metrics = metrics;
        this.settings = settings;
        this.audit = audit;
        this.clock = clock;
        this.revocations = revocations;
        JWK active = settings.activeKey();
        if (active == null) {
            this.signer = null;
            this.signingHeader = null;
            this.own = null;
        } else {
            this.signer = signerFor(active);
            this.signingHeader = new JWSHeader.Builder(JWSAlgorithm.parse(active.getAlgorithm().getName()))
                    .type(new JOSEObjectType(ACCESS_TOKEN_TYPE))
                    .keyID(active.getKeyID())
                    .build();
            Map<String, JWSAlgorithm> keyAlgorithms = new LinkedHashMap<>();
            settings.keys().forEach(key -> keyAlgorithms.put(key.getKeyID(),
                    JWSAlgorithm.parse(key.getAlgorithm().getName())));
            this.own = new IssuerVerifier(settings.issuer(), Set.of(settings.audience()),
                    settings.allowedJwsAlgorithms(), Set.of(ACCESS_TOKEN_TYPE), false,
                    new ImmutableJWKSet<SecurityContext>(new JWKSet(settings.keys())), keyAlgorithms.keySet(),
                    keyAlgorithms, OWN_REQUIRED_CLAIMS, clock, settings.clockSkew(), AccessTokens::ownCaller, true);
        }
        ExternalUserProvisioner provisioner = users == null ? null : new ExternalUserProvisioner(users, audit);
        for (ExternalIdentityProvider provider : settings.externalProviders()) {
            if (provider.provisioning().isPresent() && provisioner == null) {
                throw new ConfigurationException("AccessTokens", List.of("the provider " + provider.issuer()
                        + " provisions users, which needs the user store: build through Messaging.builder()"));
            }
            ExternalClaims mapping = new ExternalClaims(provider);
            external.put(provider.issuer(), new IssuerVerifier(provider.issuer(), provider.audiences(),
                    provider.algorithms(), provider.acceptedTypes(), provider.acceptsMissingType(),
                    provider.keySource(), provider.knownKeyIds(), provider.keyAlgorithms(),
                    requiredFor(provider), clock, settings.clockSkew(),
                    claims -> provisioned(provider, provisioner, claims, mapping.caller(claims)), false));
        }
        List<JWK> publicKeys = new ArrayList<>();
        for (JWK key : settings.keys()) {
            if (!(key instanceof OctetSequenceKey)) {
                publicKeys.add(key.toPublicJWK());
            }
        }
        this.jwksJson = JSONObjectUtils.toJSONString(new JWKSet(publicKeys).toJSONObject(true));
    }

    /**
     * Creates a token service that tracks no revocation: its tokens hold until they expire. For
     * verifying tokens without user storage; {@link Accounts} need
     * {@link #create(TokenSettings, AuditSink, Clock, TokenRevocations)}.
     *
     * @param settings keys, lifetimes and providers
     * @param audit where rejections are recorded
     * @param clock the time source for issuing and checking
     * @return the service
     */
    public static AccessTokens create(TokenSettings settings, AuditSink audit, Clock clock) {
        return create(settings, audit, clock, TokenRevocations.none());
    }

    /**
     * Creates the token service.
     *
     * @param settings keys, lifetimes and providers
     * @param audit where rejections are recorded
     * @param clock the time source for issuing and checking
     * @param revocations each user's valid-after instant
     * @return the service
     */
    public static AccessTokens create(TokenSettings settings, AuditSink audit, Clock clock,
            TokenRevocations revocations) {
        requireNonNull(settings, "settings");
        requireNonNull(audit, "audit");
        requireNonNull(clock, "clock");
        requireNonNull(revocations, "revocations");
        return new AccessTokens(settings, new AuditRecorder(audit, clock), clock, revocations, null,
                MessagingMetrics.NONE);
    }

    /**
     * Creates the token service, aggregating identical rejections (a client replaying one bad
     * token) into one {@code token.rejected} event per window with a count.
     *
     * @param settings keys, lifetimes and providers
     * @param audit where rejections are recorded
     * @param clock the time source for issuing and checking
     * @param revocations each user's valid-after instant
     * @param refusals the aggregator, writing to {@code audit}
     * @return the service
     */
    public static AccessTokens create(TokenSettings settings, AuditSink audit, Clock clock,
            TokenRevocations revocations, RefusalAggregator refusals) {
        requireNonNull(settings, "settings");
        requireNonNull(audit, "audit");
        requireNonNull(clock, "clock");
        requireNonNull(revocations, "revocations");
        requireNonNull(refusals, "refusals");
        return new AccessTokens(settings, new AuditRecorder(audit, clock, refusals), clock, revocations, null,
                MessagingMetrics.NONE);
    }

    /**
     * Creates the token service with the user store, so that external providers with
     * {@linkplain ExternalIdentityProvider#provisioning() provisioning} create the users of unknown
     * subjects (audited as {@code user.provisioned}). {@link io.carechat.messaging.Messaging}
     * builds its token service this way.
     *
     * @param settings keys, lifetimes and providers
     * @param audit where rejections and provisioning are recorded
     * @param clock the time source for issuing and checking
     * @param revocations each user's valid-after instant
     * @param refusals the aggregator of identical rejections, or null to record each one
     * @param users where provisioned users are created
     * @return the service
     */
    public static AccessTokens create(TokenSettings settings, AuditSink audit, Clock clock,
            TokenRevocations revocations, @Nullable RefusalAggregator refusals, UserStore users) {
        requireNonNull(settings, "settings");
        requireNonNull(audit, "audit");
        requireNonNull(clock, "clock");
        requireNonNull(revocations, "revocations");
        requireNonNull(users, "users");
        return create(settings, audit, clock, revocations, refusals, users, MessagingMetrics.NONE);
    }

    /**
     * Creates the token service with the user store, as
     * {@link #create(TokenSettings, AuditSink, Clock, TokenRevocations, RefusalAggregator, UserStore)}
     * does, counting each refused token by its reason in the metrics.
     *
     * @param settings keys, lifetimes and providers
     * @param audit where rejections and provisioning are recorded
     * @param clock the time source for issuing and checking
     * @param revocations each user's valid-after instant
     * @param refusals the aggregator of identical rejections, or null to record each one
     * @param users where provisioned users are created
     * @param metrics where refusals are counted
     * @return the service
     */
    public static AccessTokens create(TokenSettings settings, AuditSink audit, Clock clock,
            TokenRevocations revocations, @Nullable RefusalAggregator refusals, UserStore users,
            MessagingMetrics metrics) {
        requireNonNull(settings, "settings");
        requireNonNull(audit, "audit");
        requireNonNull(clock, "clock");
        requireNonNull(revocations, "revocations");
        requireNonNull(users, "users");
        requireNonNull(metrics, "metrics");
        AuditRecorder recorder = refusals == null ? new AuditRecorder(audit, clock)
                : new AuditRecorder(audit, clock, refusals);
        return new AccessTokens(settings, recorder, clock, revocations, users, metrics);
    }

    /**
     * The settings in force.
     *
     * @return the settings
     */
    public TokenSettings settings() {
        return settings;
    }

    /**
     * The users' valid-after instants this service checks tokens against.
     *
     * @return the revocations
     */
    public TokenRevocations revocations() {
        return revocations;
    }

    /**
     * Tells whether a token that passed {@link #authenticate} was revoked since: its user logged
     * out, was disabled or had their roles changed after it was issued. Reads memory, not the
     * store, so a transport may ask on every frame.
     *
     * @param token the verified token
     * @return true when it must no longer be accepted
     */
    public boolean isRevoked(VerifiedAccessToken token) {
        requireNonNull(token, "token");
        return revocations.isRevoked(token.caller().userId(), token.issuedAt());
    }

    /**
     * Issues an access token for a user, with the user's current roles.
     *
     * @param user the user, as stored
     * @return the signed token
     * @throws IllegalArgumentException if the user is disabled
     * @throws ConfigurationException in external-only mode, where CareChat issues no tokens
     */
    public IssuedAccessToken issue(User user) {
        requireNonNull(user, "user");
        if (signer == null || signingHeader == null) {
            throw TokenSettings.externalOnlyRefusal();
        }
        if (!user.enabled()) {
            throw new IllegalArgumentException("a disabled user gets no token");
        }
        Instant issuedAt = revocations.issueTime(user.id(), clock.instant().truncatedTo(ChronoUnit.MILLIS));
        Instant now = issuedAt.truncatedTo(ChronoUnit.SECONDS);
        Instant expiresAt = now.plus(settings.accessTokenTtl());
        String jti = UUID.randomUUID().toString();
        List<String> roles = new ArrayList<>();
        EnumSet.copyOf(user.roles()).forEach(role -> roles.add(role.name()));
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(settings.issuer())
                .audience(settings.audience())
                .subject(user.id().value())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(expiresAt))
                .jwtID(jti)
                .claim(ISSUED_AT_MILLIS, issuedAt.toEpochMilli())
                .claim("roles", roles)
                .claim("is_admin", user.hasRole(Role.ADMIN))
                .claim("is_doctor", user.hasRole(Role.DOCTOR))
                .claim("is_patient", user.hasRole(Role.PATIENT))
                .claim("username", user.username())
                .build();
        SignedJWT jwt = new SignedJWT(signingHeader, claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing failed", e);
        }
        return new IssuedAccessToken(jwt.serialize(), jti, expiresAt);
    }

    /**
     * Verifies an access token with no client details.
     *
     * @param token the compact JWS
     * @return the caller it describes
     * @throws UnauthenticatedException with one generic message, whatever is wrong
     */
    public Caller verify(String token) {
        return verify(token, ClientContext.unknown());
    }

    /**
     * Verifies an access token. A refusal is audited as {@code token.rejected} with its reason and
     * the client's details, never the token.
     *
     * @param token the compact JWS
     * @param client where it came from
     * @return the caller it describes, with the client's address and request id
     * @throws UnauthenticatedException with one generic message, whatever is wrong
     */
    public Caller verify(@Nullable String token, ClientContext client) {
        return authenticate(token, client).caller();
    }

    /**
     * Verifies an access token like {@link #verify(String, ClientContext)}, and also tells when it
     * expires, for transports that end a live session then.
     *
     * @param token the compact JWS
     * @param client where it came from
     * @return the caller, the token's expiry and its id
     * @throws UnauthenticatedException with one generic message, whatever is wrong
     */
    public VerifiedAccessToken authenticate(@Nullable String token, ClientContext client) {
        requireNonNull(client, "client");
        try {
            VerifiedAccessToken verified = check(token);
            if (isRevoked(verified)) {
                throw new TokenRejection("revoked");
            }
            return new VerifiedAccessToken(verified.caller().from(client.address(), client.requestId()),
                    verified.issuedAt(), verified.expiresAt(), verified.jti());
        } catch (TokenRejection rejection) {
            metrics.tokenRejected(rejection.reason());
            recordRejection(rejection.reason(), client);
            throw new UnauthenticatedException(GENERIC_FAILURE);
        }
    }

    /**
     * The public keys of the asymmetric keys configured, as a JWKS document for
     * {@code /.well-known/jwks.json}. Secrets are never included; with only an HS256 secret the
     * set is empty.
     *
     * @return the JSON text of the key set
     */
    public String jwksJson() {
        return jwksJson;
    }

    private VerifiedAccessToken check(@Nullable String token) {
        if (token == null || token.isEmpty()) {
            throw new TokenRejection("missing");
        }
        if (token.length() > MAX_TOKEN_CHARS) {
            throw new TokenRejection("too_large");
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw new TokenRejection("malformed");
        }
        String headerJson = decode(parts[0]);
        if (JsonNesting.depth(headerJson) > MAX_JSON_DEPTH || JsonNesting.depth(decode(parts[1])) > MAX_JSON_DEPTH) {
            throw new TokenRejection("nesting_too_deep");
        }
        Map<String, Object> header;
        try {
            header = JSONObjectUtils.parse(headerJson);
        } catch (ParseException e) {
            throw new TokenRejection("malformed");
        }
        if (header.get("alg") instanceof String alg && alg.equalsIgnoreCase("none")) {
            throw new TokenRejection("alg_none");
        }
        for (String name : FORBIDDEN_HEADERS) {
            if (header.containsKey(name)) {
                throw new TokenRejection("forbidden_header");
            }
        }
        SignedJWT jwt;
        String issuer;
        try {
            jwt = SignedJWT.parse(token);
            issuer = jwt.getJWTClaimsSet().getIssuer();
        } catch (ParseException e) {
            throw new TokenRejection("malformed");
        }
        if (issuer == null || issuer.equals(settings.issuer())) {
            if (own == null) {
                throw new TokenRejection("wrong_issuer");
            }
            return own.verify(jwt);
        }
        IssuerVerifier verifier = external.get(issuer);
        if (verifier == null) {
            throw new TokenRejection("wrong_issuer");
        }
        return verifier.verify(jwt);
    }

    private static String decode(String part) {
        try {
            return new Base64URL(part).decodeToString();
        } catch (RuntimeException e) {
            throw new TokenRejection("malformed");
        }
    }

    private void recordRejection(String reason, ClientContext client) {
        audit.recordRefusal(client.describe(audit.event("token.rejected", AuditEvent.Outcome.FAILURE))
                .reason(reason)
                .build());
    }

    private static Caller ownCaller(JWTClaimsSet claims) {
        UserId userId = userId(claims.getSubject());
        List<String> names;
        Boolean admin;
        Boolean doctor;
        Boolean patient;
        try {
            names = claims.getStringListClaim("roles");
            admin = claims.getBooleanClaim("is_admin");
            doctor = claims.getBooleanClaim("is_doctor");
            patient = claims.getBooleanClaim("is_patient");
            if (claims.getStringClaim("username") == null) {
                throw new TokenRejection("missing_claims");
            }
        } catch (ParseException e) {
            throw new TokenRejection("bad_roles");
        }
        if (names == null || names.isEmpty() || admin == null || doctor == null || patient == null) {
            throw new TokenRejection("bad_roles");
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String name : names) {
            try {
                roles.add(Role.valueOf(name));
            } catch (IllegalArgumentException e) {
                throw new TokenRejection("bad_roles");
            }
        }
        if (roles.contains(Role.ADMIN) != admin || roles.contains(Role.DOCTOR) != doctor
                || roles.contains(Role.PATIENT) != patient) {
            throw new TokenRejection("bad_roles");
        }
        return Caller.of(userId, roles);
    }

    private static Set<String> requiredFor(ExternalIdentityProvider provider) {
        Set<String> required = new HashSet<>(EXTERNAL_REQUIRED_CLAIMS);
        required.removeAll(provider.optionalClaims());
        required.add(provider.userIdClaim());
        return required;
    }

    private static Caller provisioned(ExternalIdentityProvider provider, @Nullable ExternalUserProvisioner provisioner,
            JWTClaimsSet claims, Caller caller) {
        if (provisioner != null) {
            provider.provisioning().ifPresent(settings -> provisioner.ensure(settings, claims, caller));
        }
        return caller;
    }

    static UserId userId(@Nullable String value) {
        if (value == null || !UserId.isWellFormed(value)) {
            throw new TokenRejection("bad_subject");
        }
        return UserId.of(value);
    }

    private static JWSSigner signerFor(JWK key) {
        try {
            if (key instanceof OctetSequenceKey oct) {
                return new MACSigner(oct);
            }
            if (key instanceof RSAKey rsa) {
                return new RSASSASigner(rsa);
            }
            return new ECDSASigner((ECKey) key);
        } catch (JOSEException e) {
            throw new IllegalStateException("the active key cannot sign", e);
        }
    }

    @Override
    public String toString() {
        return "AccessTokens[issuer=" + settings.issuer() + "]";
    }
}
