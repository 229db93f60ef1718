package io.carechat.messaging.auth;

import static io.carechat.messaging.auth.TokenForge.EC;
import static io.carechat.messaging.auth.TokenForge.RSA;
import static io.carechat.messaging.auth.TokenForge.RSA_OTHER;
import static io.carechat.messaging.auth.TokenForge.header;
import static io.carechat.messaging.auth.TokenForge.rs256;
import static io.carechat.messaging.auth.TokenForge.validClaims;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.error.UnauthenticatedException;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.memory.InMemoryAuditSink;
import io.carechat.messaging.spi.AuditEvent;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Access token verification")
class AccessTokenVerificationTest {

    private static final String CLIENT = "198.51.100.7";

    private final TestClock clock = new TestClock();
    private final InMemoryAuditSink audit = new InMemoryAuditSink();
    private AccessTokens tokens;

    @BeforeEach
    void createService() {
        tokens = AccessTokens.create(TokenSettings.builder()
                .issuer(TokenForge.ISSUER)
                .audience(TokenForge.AUDIENCE)
                .rsaKey("rsa-1", RSA)
                .build(), audit, clock);
    }

    private User patient() {
        return new User(UserId.of(TokenForge.SUBJECT), "pat", "pat@example.org", "Pat",
                Set.of(Role.PATIENT), true, clock.instant());
    }

    private Map<String, Object> claims() {
        return validClaims(clock.instant());
    }

    private void assertRejected(String token, String reason) {
        assertThatThrownBy(() -> tokens.verify(token, ClientContext.fromAddress(CLIENT)))
                .isExactlyInstanceOf(UnauthenticatedException.class)
                .hasMessage(AccessTokens.GENERIC_FAILURE);
        List<AuditEvent> events = audit.events();
        assertThat(events).isNotEmpty();
        AuditEvent last = events.get(events.size() - 1);
        assertThat(last.action()).isEqualTo("token.rejected");
        assertThat(last.outcome()).isEqualTo(AuditEvent.Outcome.FAILURE);
        assertThat(last.reason()).isEqualTo(reason);
        assertThat(last.clientAddress()).isEqualTo(CLIENT);
        String[] parts = token.split("\\.");
        for (String part : parts) {
            if (part.length() > 8) {
                assertThat(last.toString()).doesNotContain(part);
            }
        }
    }

    @Nested
    @DisplayName("a valid token")
    class Valid {
        @Test
        @DisplayName("a token CareChat issued verifies to the user and roles it was issued for")
        void issuedTokenVerifies() {
            IssuedAccessToken issued = tokens.issue(patient());
            Caller caller = tokens.verify(issued.token(), new ClientContext(CLIENT, "web", "req-1"));
            assertThat(caller.userId()).isEqualTo(UserId.of(TokenForge.SUBJECT));
            assertThat(caller.roles()).containsExactly(Role.PATIENT);
            assertThat(caller.clientAddress()).isEqualTo(CLIENT);
            assertThat(caller.requestId()).isEqualTo("req-1");
            assertThat(issued.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(15)));
            VerifiedAccessToken verified = tokens.authenticate(issued.token(), ClientContext.unknown());
            assertThat(verified.expiresAt()).isEqualTo(issued.expiresAt());
            assertThat(verified.jti()).isEqualTo(issued.jti());
            assertThat(audit.events()).isEmpty();
        }

        @Test
        @DisplayName("a token expired by less than the 30 s skew is still accepted")
        void withinSkewAccepted() {
            IssuedAccessToken issued = tokens.issue(patient());
            clock.advance(Duration.ofMinutes(15).plusSeconds(29));
            assertThat(tokens.verify(issued.token()).userId()).isEqualTo(UserId.of(TokenForge.SUBJECT));
        }

        @Test
        @DisplayName("a token crafted with the right key and every claim verifies, so the refusals below are for their one defect")
        void craftedBaselineVerifies() {
            assertThat(tokens.verify(rs256(header("RS256", "rsa-1"), claims(), RSA.getPrivate())).roles())
                    .containsExactly(Role.PATIENT);
        }
    }

    @Nested
    @DisplayName("algorithms")
    class Algorithms {
        @ParameterizedTest(name = "alg {0}")
        @ValueSource(strings = {"none", "None", "NONE", "nOnE"})
        @DisplayName("an unsigned token (alg none, in any case) is refused")
        void algNone(String alg) {
            assertRejected(TokenForge.unsigned(header(alg, "rsa-1"), claims()), "alg_none");
        }

        @Test
        @DisplayName("an HS256 token whose secret is the RSA public key (DER) is refused")
        void hs256WithPublicKeyDer() {
            byte[] secret = RSA.getPublic().getEncoded();
            assertRejected(TokenForge.hs256(header("HS256", "rsa-1"), claims(), secret), "algorithm_not_allowed");
        }

        @Test
        @DisplayName("an HS256 token whose secret is the RSA public key as PEM text is refused")
        void hs256WithPublicKeyPem() {
            String pem = "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder().encodeToString(RSA.getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n";
            assertRejected(TokenForge.hs256(header("HS256", "rsa-1"), claims(), pem.getBytes(StandardCharsets.US_ASCII)),
                    "algorithm_not_allowed");
        }

        @Test
        @DisplayName("with HS256 allowlisted too, the RSA public key still never serves as an HMAC secret")
        void hs256WithPublicKeyWhenHmacAllowed() {
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            tokens = AccessTokens.create(TokenSettings.builder()
                    .issuer(TokenForge.ISSUER).audience(TokenForge.AUDIENCE)
                    .rsaKey("rsa-1", RSA).hmacSecret("hs-1", secret)
                    .build(), audit, clock);
            byte[] publicKey = RSA.getPublic().getEncoded();
            assertRejected(TokenForge.hs256(header("HS256", "rsa-1"), claims(), publicKey), "algorithm_key_mismatch");
            assertRejected(TokenForge.hs256(header("HS256", "hs-1"), claims(), publicKey), "bad_signature");
            assertThat(tokens.verify(TokenForge.hs256(header("HS256", "hs-1"), claims(), secret)).userId())
                    .isEqualTo(UserId.of(TokenForge.SUBJECT));
        }

        @Test
        @DisplayName("a token signed with the right key but an algorithm outside the allowlist (RS512) is refused")
        void rs512Refused() {
            assertRejected(TokenForge.rs512(header("RS512", "rsa-1"), claims(), RSA.getPrivate()), "algorithm_not_allowed");
        }

        @Test
        @DisplayName("a key configured but left out of the allowlist does not verify tokens")
        void allowlistNarrowerThanKeys() throws Exception {
            tokens = AccessTokens.create(TokenSettings.builder()
                    .issuer(TokenForge.ISSUER).audience(TokenForge.AUDIENCE)
                    .rsaKey("rsa-1", RSA).ecKey("ec-1", EC)
                    .allowedAlgorithms("RS256")
                    .build(), audit, clock);
            AccessTokens ecSigner = AccessTokens.create(TokenSettings.builder()
                    .issuer(TokenForge.ISSUER).audience(TokenForge.AUDIENCE).ecKey("ec-1", EC).build(), audit, clock);
            String esToken = ecSigner.issue(patient()).token();
            assertThat(ecSigner.verify(esToken).userId()).isEqualTo(UserId.of(TokenForge.SUBJECT));
            assertRejected(esToken, "algorithm_not_allowed");
        }
    }

    @Nested
    @DisplayName("key ids")
    class KeyIds {
        @ParameterizedTest(name = "kid {0}")
        @ValueSource(strings = {"rsa-2", "unknown"})
        @DisplayName("a kid that names no configured key is refused")
        void unknownKid(String kid) {
            assertRejected(rs256(header("RS256", kid), claims(), RSA.getPrivate()), "unknown_kid");
        }

        @ParameterizedTest(name = "kid {0}")
        @ValueSource(strings = {"../../../etc/passwd", "/dev/null", "x' OR '1'='1", "rsa-1; DROP TABLE keys--", "rsa-1\n"})
        @DisplayName("a kid holding a path or SQL is refused before any key lookup")
        void maliciousKid(String kid) {
            assertRejected(rs256(header("RS256", kid), claims(), RSA.getPrivate()), "malformed_kid");
        }

        @Test
        @DisplayName("a token without a kid is refused")
        void missingKid() {
            Map<String, Object> header = header("RS256", "rsa-1");
            header.remove("kid");
            assertRejected(rs256(header, claims(), RSA.getPrivate()), "missing_kid");
        }

        @Test
        @DisplayName("tokens signed by a retired key still verify while it is configured for verification only")
        void rotation() {
            AccessTokens old = tokens;
            String oldToken = old.issue(patient()).token();
            tokens = AccessTokens.create(TokenSettings.builder()
                    .issuer(TokenForge.ISSUER).audience(TokenForge.AUDIENCE)
                    .rsaKey("rsa-2", RSA_OTHER)
                    .verificationKey("rsa-1", RSA.getPublic())
                    .build(), audit, clock);
            assertThat(tokens.verify(oldToken).userId()).isEqualTo(UserId.of(TokenForge.SUBJECT));
            assertThat(tokens.issue(patient()).token()).isNotNull();
            assertThat(tokens.jwksJson()).contains("\"rsa-1\"", "\"rsa-2\"").doesNotContain("\"d\"");
        }
    }

    @Nested
    @DisplayName("key-carrying headers")
    class KeyHeaders {
        private HttpServer server;
        private final AtomicInteger requests = new AtomicInteger();
        private String url;

        @BeforeEach
        void startServer() throws Exception {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            String jwks = "{\"keys\":[" + new RSAKey.Builder((RSAPublicKey) RSA_OTHER.getPublic())
                    .keyID("rsa-1").build().toJSONString() + "]}";
            server.createContext("/", exchange -> {
                requests.incrementAndGet();
                byte[] body = jwks.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            url = "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json";
        }

        @AfterEach
        void stopServer() {
            server.stop(0);
        }

        @Test
        @DisplayName("a jku header is refused and its URL is never fetched")
        void jku() {
            Map<String, Object> header = header("RS256", "rsa-1");
            header.put("jku", url);
            assertRejected(rs256(header, claims(), RSA_OTHER.getPrivate()), "forbidden_header");
            assertThat(requests).hasValue(0);
        }

        @Test
        @DisplayName("an x5u header is refused and its URL is never fetched")
        void x5u() {
            Map<String, Object> header = header("RS256", "rsa-1");
            header.put("x5u", url);
            assertRejected(rs256(header, claims(), RSA_OTHER.getPrivate()), "forbidden_header");
            assertThat(requests).hasValue(0);
        }

        @Test
        @DisplayName("a jwk header carrying the attacker's own key is refused")
        void jwk() {
            Map<String, Object> header = header("RS256", "rsa-1");
            header.put("jwk", new RSAKey.Builder((RSAPublicKey) RSA_OTHER.getPublic()).keyID("rsa-1").build().toJSONObject());
            assertRejected(rs256(header, claims(), RSA_OTHER.getPrivate()), "forbidden_header");
            assertThat(requests).hasValue(0);
        }

        @Test
        @DisplayName("even without the header guard, nimbus takes keys only from the configured set and fetches nothing")
        void nimbusDoesNotFollowJku() throws Exception {
            Map<String, Object> header = header("RS256", "rsa-1");
            header.put("jku", url);
            header.put("x5u", url);
            String token = rs256(header, claims(), RSA_OTHER.getPrivate());
            IssuerVerifier bare = new IssuerVerifier(TokenForge.ISSUER, Set.of(TokenForge.AUDIENCE),
                    Set.of(JWSAlgorithm.RS256), Set.of("at+jwt"), false,
                    new ImmutableJWKSet<>(new JWKSet(new RSAKey.Builder((RSAPublicKey) RSA.getPublic()).keyID("rsa-1").build())),
                    Set.of("rsa-1"), Map.of("rsa-1", JWSAlgorithm.RS256), Set.of("iss", "aud", "sub", "exp", "iat"),
                    clock, Duration.ofSeconds(30), claims -> Caller.of(UserId.of("x"), Set.of()), false);
            SignedJWT parsed = SignedJWT.parse(token);
            assertThatThrownBy(() -> bare.verify(parsed))
                    .isInstanceOfSatisfying(TokenRejection.class, r -> assertThat(r.reason()).isEqualTo("bad_signature"));
            assertThat(requests).hasValue(0);
        }

        @Test
        @DisplayName("the loopback server does count requests, so a zero count means nothing was fetched")
        void serverCounts() throws Exception {
            try (var in = java.net.URI.create(url).toURL().openStream()) {
                in.readAllBytes();
            }
            assertThat(requests).hasValue(1);
        }
    }

    @Nested
    @DisplayName("claims")
    class Claims {
        @ParameterizedTest(name = "without {0}")
        @ValueSource(strings = {"exp", "iat", "iss", "aud", "sub", "jti", "roles", "username"})
        @DisplayName("a token missing a required claim is refused")
        void missingClaim(String claim) {
            Map<String, Object> claims = claims();
            claims.remove(claim);
            assertRejected(rs256(header("RS256", "rsa-1"), claims, RSA.getPrivate()), "missing_claims");
        }

        @Test
        @DisplayName("a token expired by more than the 30 s skew is refused")
        void expired() {
            String token = tokens.issue(patient()).token();
            clock.advance(Duration.ofMinutes(15).plusSeconds(31));
            assertRejected(token, "expired");
        }

        @Test
        @DisplayName("a token whose nbf is beyond the skew in the future is refused")
        void notYetValid() {
            Map<String, Object> claims = claims();
            claims.put("nbf", clock.instant().getEpochSecond() + 60);
            assertRejected(rs256(header("RS256", "rsa-1"), claims, RSA.getPrivate()), "not_yet_valid");
        }

        @Test
        @DisplayName("a token issued beyond the skew in the future is refused")
        void issuedInFuture() {
            Map<String, Object> claims = claims();
            claims.put("iat", clock.instant().getEpochSecond() + 120);
            assertRejected(rs256(header("RS256", "rsa-1"), claims, RSA.getPrivate()), "issued_in_future");
        }

        @Test
        @DisplayName("a token from another issuer is refused")
        void wrongIssuer() {
            Map<String, Object> claims = claims();
            claims.put("iss", "https://evil.test");
            assertRejected(rs256(header("RS256", "rsa-1"), claims, RSA.getPrivate()), "wrong_issuer");
        }

        @Test
        @DisplayName("a token for another audience is refused")
        void wrongAudience() {
            Map<String, Object> claims = claims();
            claims.put("aud", "billing");
            assertRejected(rs256(header("RS256", "rsa-1"), claims, RSA.getPrivate()), "wrong_audience");
        }

        @Test
        @DisplayName("a roles claim that contradicts the is_admin flag is refused")
        void inconsistentRoles() {
            Map<String, Object> claims = claims();
            claims.put("is_admin", true);
            assertRejected(rs256(header("RS256", "rsa-1"), claims, RSA.getPrivate()), "bad_roles");
        }

        @Test
        @DisplayName("a roles claim naming an unknown role is refused")
        void unknownRole() {
            Map<String, Object> claims = claims();
            claims.put("roles", List.of("PATIENT", "SUPERUSER"));
            assertRejected(rs256(header("RS256", "rsa-1"), claims, RSA.getPrivate()), "bad_roles");
        }
    }

    @Nested
    @DisplayName("token types")
    class Types {
        @Test
        @DisplayName("an ID token (typ JWT) signed with the right key is refused as an access token")
        void idToken() {
            Map<String, Object> header = header("RS256", "rsa-1");
            header.put("typ", "JWT");
            Map<String, Object> claims = claims();
            claims.put("nonce", "n-1");
            assertRejected(rs256(header, claims, RSA.getPrivate()), "wrong_type");
        }

        @Test
        @DisplayName("a token with no typ is refused")
        void noType() {
            Map<String, Object> header = header("RS256", "rsa-1");
            header.remove("typ");
            assertRejected(rs256(header, claims(), RSA.getPrivate()), "wrong_type");
        }

        @Test
        @DisplayName("an opaque refresh token presented as an access token is refused")
        void refreshToken() {
            assertRejected(new OpaqueTokens().newToken(), "malformed");
        }
    }

    @Nested
    @DisplayName("integrity and size")
    class Integrity {
        @Test
        @DisplayName("a token whose roles claim was changed to ADMIN fails the signature")
        void tamperedRoles() {
            String[] parts = tokens.issue(patient()).token().split("\\.");
            Map<String, Object> claims = claims();
            claims.put("roles", List.of("ADMIN", "PATIENT"));
            claims.put("is_admin", true);
            String forged = parts[0] + "." + TokenForge.part(TokenForge.json(claims)) + "." + parts[2];
            assertRejected(forged, "bad_signature");
        }

        @ParameterizedTest(name = "depth {0}")
        @ValueSource(ints = {20, 2_500})
        @DisplayName("a validly signed token whose claims nest deeply is refused without parsing them")
        void deeplyNested(int depth) {
            String nested = "[".repeat(depth) + "]".repeat(depth);
            String claimsJson = TokenForge.json(claims());
            claimsJson = claimsJson.substring(0, claimsJson.length() - 1) + ",\"x\":" + nested + "}";
            String token = rs256(TokenForge.json(header("RS256", "rsa-1")), claimsJson, RSA.getPrivate());
            assertThat(token.length()).isLessThanOrEqualTo(AccessTokens.MAX_TOKEN_CHARS);
            assertRejected(token, "nesting_too_deep");
        }

        @Test
        @DisplayName("nimbus's own JSON parser also refuses deep nesting with an error, not a stack overflow")
        void nimbusParserLimitsNesting() {
            String nested = "{\"x\":" + "[".repeat(2_500) + "]".repeat(2_500) + "}";
            assertThatThrownBy(() -> JSONObjectUtils.parse(nested)).isInstanceOf(ParseException.class);
        }

        @Test
        @DisplayName("a token longer than the limit is refused")
        void tooLarge() {
            Map<String, Object> claims = claims();
            claims.put("pad", "x".repeat(AccessTokens.MAX_TOKEN_CHARS));
            assertRejected(rs256(header("RS256", "rsa-1"), claims, RSA.getPrivate()), "too_large");
        }

        @Test
        @DisplayName("an empty or non-JWS token is refused")
        void garbage() {
            assertRejected("", "missing");
            assertRejected("a.b.c.d.e", "malformed");
            assertRejected("!!!.@@@.###", "malformed");
        }
    }
}
