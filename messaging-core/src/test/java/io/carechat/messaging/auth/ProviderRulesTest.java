package io.carechat.messaging.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import io.carechat.messaging.error.ConfigurationException;
import io.carechat.messaging.error.UnauthenticatedException;
import io.carechat.messaging.memory.InMemoryAuditSink;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.spi.AuditEvent;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Each identity provider's own rules: typ, required claims, role claims")
class ProviderRulesTest {

    private static final String IDP = "https://idp.hospital.test";

    private final TestClock clock = new TestClock();
    private final InMemoryAuditSink audit = new InMemoryAuditSink();

    private static ExternalIdentityProvider.Builder provider() {
        return ExternalIdentityProvider.builder()
                .issuer(IDP).audience("carechat")
                .jwks(new JWKSet(new RSAKey.Builder((RSAPublicKey) TokenForge.RSA_OTHER.getPublic())
                        .keyID("idp-1").build()).toString(true))
                .rolesClaim("scp")
                .mapRole("chat.doctor", Role.DOCTOR)
                .mapRole("chat.patient", Role.PATIENT);
    }

    private AccessTokens service(ExternalIdentityProvider provider) {
        return AccessTokens.create(TokenSettings.builder().issuer(TokenForge.ISSUER).audience(TokenForge.AUDIENCE)
                .rsaKey("rsa-1", TokenForge.RSA).externalProvider(provider).build(), audit, clock);
    }

    private Map<String, Object> claims() {
        long now = clock.instant().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", IDP);
        claims.put("aud", "carechat");
        claims.put("sub", "patient-7");
        claims.put("scp", "openid chat.patient");
        claims.put("exp", now + 600);
        claims.put("iat", now);
        claims.put("jti", "j-7");
        return claims;
    }

    private static String token(String typ, Map<String, Object> claims) {
        Map<String, Object> header = TokenForge.header("RS256", "idp-1");
        if (typ == null) {
            header.remove("typ");
        } else {
            header.put("typ", typ);
        }
        return TokenForge.rs256(header, claims, TokenForge.RSA_OTHER.getPrivate());
    }

    private void assertRefused(AccessTokens tokens, String token, String reason) {
        assertThatThrownBy(() -> tokens.verify(token)).isExactlyInstanceOf(UnauthenticatedException.class);
        assertThat(audit.events()).extracting(AuditEvent::reason).last().isEqualTo(reason);
    }

    @Test
    @DisplayName("by default at+jwt and application/at+jwt are accepted; JWT and a missing typ are refused as wrong_type")
    void defaultTypes() {
        AccessTokens tokens = service(provider().build());
        assertThat(tokens.verify(token("at+jwt", claims())).roles()).containsExactly(Role.PATIENT);
        assertThat(tokens.verify(token("application/at+jwt", claims())).roles()).containsExactly(Role.PATIENT);
        assertRefused(tokens, token("JWT", claims()), "wrong_type");
        assertRefused(tokens, token(null, claims()), "wrong_type");
    }

    @Test
    @DisplayName("JWT is accepted once configured, and a missing typ only where a missing typ is accepted")
    void configuredTypes() {
        AccessTokens jwt = service(provider().acceptedTypes("JWT").build());
        assertThat(jwt.verify(token("JWT", claims())).userId().value()).isEqualTo("patient-7");
        assertRefused(jwt, token("at+jwt", claims()), "wrong_type");
        assertRefused(jwt, token(null, claims()), "wrong_type");
        AccessTokens missing = service(provider().acceptMissingType(true).build());
        assertThat(missing.verify(token(null, claims())).userId().value()).isEqualTo("patient-7");
    }

    @Test
    @DisplayName("a token without jti is refused as missing_claims unless jti is optional for that provider")
    void jtiOptionalOnlyWhenConfigured() {
        Map<String, Object> claims = claims();
        claims.remove("jti");
        assertRefused(service(provider().build()), token("at+jwt", claims), "missing_claims");
        VerifiedAccessToken verified = service(provider().optionalClaims("jti").build())
                .authenticate(token("at+jwt", claims), ClientContext.unknown());
        assertThat(verified.jti()).isNull();
    }

    @Test
    @DisplayName("a token without iat is refused unless iat is optional; then it counts as issued at nbf, or a day before exp")
    void iatOptionalOnlyWhenConfigured() {
        Map<String, Object> claims = claims();
        claims.remove("iat");
        assertRefused(service(provider().build()), token("at+jwt", claims), "missing_claims");
        AccessTokens relaxed = service(provider().optionalClaims("iat").build());
        long exp = (Long) claims.get("exp");
        assertThat(relaxed.authenticate(token("at+jwt", claims), ClientContext.unknown()).issuedAt())
                .isEqualTo(Instant.ofEpochSecond(exp).minus(IssuerVerifier.ASSUMED_LIFETIME));
        long nbf = clock.instant().getEpochSecond() - 5;
        claims.put("nbf", nbf);
        assertThat(relaxed.authenticate(token("at+jwt", claims), ClientContext.unknown()).issuedAt())
                .isEqualTo(Instant.ofEpochSecond(nbf));
    }

    @Test
    @DisplayName("sub and exp stay required however the provider is relaxed")
    void subAndExpAlwaysRequired() {
        AccessTokens relaxed = service(provider().optionalClaims("jti", "iat").build());
        Map<String, Object> noSub = claims();
        noSub.remove("sub");
        assertRefused(relaxed, token("at+jwt", noSub), "missing_claims");
        Map<String, Object> noExp = claims();
        noExp.remove("exp");
        assertRefused(relaxed, token("at+jwt", noExp), "missing_claims");
    }

    @Test
    @DisplayName("a space-separated string claim gives its values as roles; a missing role claim maps to no role")
    void stringRoleClaim() {
        AccessTokens tokens = service(provider().build());
        Map<String, Object> both = claims();
        both.put("scp", "chat.doctor chat.patient");
        assertThat(tokens.verify(token("at+jwt", both)).roles()).containsExactlyInAnyOrder(Role.DOCTOR, Role.PATIENT);
        Map<String, Object> none = claims();
        none.remove("scp");
        assertRefused(tokens, token("at+jwt", none), "no_mapped_role");
    }

    @Test
    @DisplayName("a path into a value that is not an object maps to no role, and does not fail otherwise")
    void pathThroughNonObject() {
        AccessTokens tokens = service(provider().rolesClaim("scp.roles").defaultRole(Role.PATIENT).build());
        assertThat(tokens.verify(token("at+jwt", claims())).roles()).containsExactly(Role.PATIENT);
    }

    @Test
    @DisplayName("only jti and iat may be optional, a roles path has at most four names, and an audience is required")
    void builderRefusesBadRules() {
        assertThatThrownBy(() -> provider().optionalClaims("sub", "jti").build())
                .isInstanceOf(ConfigurationException.class)
                .satisfies(e -> assertThat(((ConfigurationException) e).problems())
                        .containsExactly("only jti and iat may be optional, not 'sub'"));
        assertThatThrownBy(() -> provider().rolesClaim("a.b.c.d.e").build())
                .isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> provider().rolesClaim("realm_access..roles").build())
                .isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> provider().audiences().build())
                .isInstanceOf(ConfigurationException.class);
    }
}
