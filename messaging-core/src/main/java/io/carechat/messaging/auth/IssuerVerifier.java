package io.carechat.messaging.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import io.carechat.messaging.model.Caller;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Verifies tokens of one issuer: CareChat's own, or one external identity provider's. Checks what
 * nimbus does not (allowlisted algorithm, a well-formed and known {@code kid} bound to that
 * algorithm, the {@code typ}, {@code iat} not in the future), then lets nimbus check the
 * signature with a key selected only from the configured set, and every claim, the issuer's own
 * audiences included. A {@code typ} of {@code application/at+jwt} counts as {@code at+jwt}
 * (RFC 9068), and a missing one is accepted only where configured. Without {@code iat} (where the
 * issuer may omit it) a token counts as issued at its {@code nbf} (which providers set to the issue
 * time), or else {@link #ASSUMED_LIFETIME} before its {@code exp}, early enough that a revocation
 * refuses it rather than letting it through. Thread-safe.
 */
final class IssuerVerifier {

    /** Turns verified claims into a caller, or throws {@link TokenRejection}. */
    @FunctionalInterface
    interface ClaimsMapper {
        Caller map(JWTClaimsSet claims);
    }

    /** How long before its expiry a token with neither {@code iat} nor {@code nbf} counts as issued. */
    static final Duration ASSUMED_LIFETIME = Duration.ofDays(1);
    private static final String MEDIA_TYPE_PREFIX = "application/";

    private final String issuer;
    private final boolean acceptsMissingType;
    private final Set<JWSAlgorithm> algorithms;
    private final Set<String> types;
    private final @Nullable Set<String> knownKids;
    private final Map<String, JWSAlgorithm> keyAlgorithms;
    private final Clock clock;
    private final Duration skew;
    private final DefaultJWTProcessor<SecurityContext> processor;
    private final ClaimsMapper mapper;
    private final boolean millisecondIssueTime;

    IssuerVerifier(String issuer, Set<String> audiences, Set<JWSAlgorithm> algorithms, Set<String> types,
            boolean acceptsMissingType, JWKSource<SecurityContext> keys, @Nullable Set<String> knownKids,
            Map<String, JWSAlgorithm> keyAlgorithms, Set<String> requiredClaims, Clock clock, Duration skew,
            ClaimsMapper mapper, boolean millisecondIssueTime) {
        this.issuer = issuer;
        this.acceptsMissingType = acceptsMissingType;
        this.algorithms = Set.copyOf(algorithms);
        this.types = types.stream().map(IssuerVerifier::normalType).collect(Collectors.toUnmodifiableSet());
        this.knownKids = knownKids == null ? null : Set.copyOf(knownKids);
        this.keyAlgorithms = Map.copyOf(keyAlgorithms);
        this.clock = clock;
        this.skew = skew;
        this.mapper = mapper;
        this.millisecondIssueTime = millisecondIssueTime;
        this.processor = new DefaultJWTProcessor<>();
        // The typ is checked in verify(), before nimbus runs, with the media type prefix allowed.
        processor.setJWSTypeVerifier((type, context) -> { });
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(this.algorithms, keys));
        ClockedClaimsVerifier verifier = new ClockedClaimsVerifier(
                Set.copyOf(audiences), new JWTClaimsSet.Builder().issuer(issuer).build(), requiredClaims, clock);
        verifier.setMaxClockSkew((int) skew.toSeconds());
        processor.setJWTClaimsSetVerifier(verifier);
    }

    String issuer() {
        return issuer;
    }

    VerifiedAccessToken verify(SignedJWT jwt) {
        JWSHeader header = jwt.getHeader();
        if (!algorithms.contains(header.getAlgorithm())) {
            throw new TokenRejection("algorithm_not_allowed");
        }
        String kid = header.getKeyID();
        if (kid == null) {
            throw new TokenRejection("missing_kid");
        }
        if (!TokenSettings.KEY_ID.matcher(kid).matches()) {
            throw new TokenRejection("malformed_kid");
        }
        if (knownKids != null && !knownKids.contains(kid)) {
            throw new TokenRejection("unknown_kid");
        }
        JWSAlgorithm keyAlgorithm = keyAlgorithms.get(kid);
        if (keyAlgorithm != null && !keyAlgorithm.equals(header.getAlgorithm())) {
            throw new TokenRejection("algorithm_key_mismatch");
        }
        JOSEObjectType type = header.getType();
        if (type == null ? !acceptsMissingType : !types.contains(normalType(type.getType()))) {
            throw new TokenRejection("wrong_type");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(jwt, null);
        } catch (BadJOSEException | JOSEException e) {
            throw new TokenRejection(classify(e));
        }
        Date issuedAt = claims.getIssueTime();
        Date expiresAt = claims.getExpirationTime();
        if (expiresAt == null) {
            throw new TokenRejection("missing_claims");
        }
        if (issuedAt != null && issuedAt.toInstant().isAfter(clock.instant().plus(skew))) {
            throw new TokenRejection("issued_in_future");
        }
        Instant issueTime = issuedAt != null ? issueTime(claims, issuedAt.toInstant()) : assumedIssueTime(claims);
        return new VerifiedAccessToken(mapper.map(claims), issueTime, expiresAt.toInstant(), claims.getJWTID());
    }

    /** For a token without {@code iat}: its {@code nbf}, or else a day before its {@code exp}. */
    private static Instant assumedIssueTime(JWTClaimsSet claims) {
        Date notBefore = claims.getNotBeforeTime();
        if (notBefore != null) {
            return notBefore.toInstant();
        }
        return claims.getExpirationTime().toInstant().minus(ASSUMED_LIFETIME);
    }

    private static String normalType(String type) {
        String lower = type.toLowerCase(Locale.ROOT);
        return lower.startsWith(MEDIA_TYPE_PREFIX) ? lower.substring(MEDIA_TYPE_PREFIX.length()) : lower;
    }

    /**
     * The issue time to the millisecond from CareChat's {@code iat_ms} claim, which must fall
     * within the second of {@code iat}; the whole-second {@code iat} otherwise (an external
     * issuer's token, or one of CareChat's from before the claim), which is never later than the
     * true issue time, so a revocation refuses it all the same.
     */
    private Instant issueTime(JWTClaimsSet claims, Instant iat) {
        Object claim = millisecondIssueTime ? claims.getClaim(AccessTokens.ISSUED_AT_MILLIS) : null;
        if (claim == null) {
            return iat;
        }
        if (!(claim instanceof Number millis)) {
            throw new TokenRejection("bad_issue_time");
        }
        Instant precise = Instant.ofEpochMilli(millis.longValue());
        if (!precise.truncatedTo(ChronoUnit.SECONDS).equals(iat)) {
            throw new TokenRejection("bad_issue_time");
        }
        return precise;
    }

    private static String classify(Exception e) {
        if (e instanceof ExpiredJWTException) {
            return "expired";
        }
        if (e instanceof KeySourceException) {
            return "keys_unavailable";
        }
        if (e instanceof BadJWSException) {
            return "bad_signature";
        }
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (e instanceof BadJWTException) {
            if (message.startsWith("JWT missing required")) {
                return "missing_claims";
            }
            if (message.startsWith("JWT aud claim rejected")) {
                return "wrong_audience";
            }
            if (message.startsWith("JWT before use time")) {
                return "not_yet_valid";
            }
            if (message.startsWith("JWT iss claim")) {
                return "wrong_issuer";
            }
            return "claims_rejected";
        }
        if (message.contains("no matching key")) {
            return "no_matching_key";
        }
        if (message.contains("typ")) {
            return "wrong_type";
        }
        return "rejected";
    }

    /** Nimbus's claims verifier, reading the time from the injected clock. */
    private static final class ClockedClaimsVerifier extends DefaultJWTClaimsVerifier<SecurityContext> {
        private final Clock clock;

        ClockedClaimsVerifier(Set<String> audience, JWTClaimsSet exactMatch, Set<String> required, Clock clock) {
            super(audience, exactMatch, required, null);
            this.clock = clock;
        }

        @Override
        protected Date currentTime() {
            return Date.from(clock.instant());
        }
    }
}
