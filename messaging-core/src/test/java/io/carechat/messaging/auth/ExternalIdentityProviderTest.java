package io.carechat.messaging.auth;

import static io.carechat.messaging.auth.TokenForge.RSA_OTHER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.sun.net.httpserver.HttpServer;
import io.carechat.messaging.error.ConfigurationException;
import io.carechat.messaging.error.UnauthenticatedException;
import io.carechat.messaging.memory.InMemoryAuditSink;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.spi.AuditEvent;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Tokens from a hospital's identity provider")
class ExternalIdentityProviderTest {

    private static final String IDP = "https://idp.hospital.test/realms/staff";
    /** The provider's own audience for CareChat, unlike CareChat's own {@link TokenForge#AUDIENCE}. */
    private static final String IDP_AUDIENCE = "carechat-client@idp";

    private final TestClock clock = new TestClock();
    private final InMemoryAuditSink audit = new InMemoryAuditSink();

    private static String jwks() {
        return new JWKSet(new RSAKey.Builder((RSAPublicKey) RSA_OTHER.getPublic()).keyID("idp-1").build())
                .toString(true);
    }

    private AccessTokens service(ExternalIdentityProvider provider) {
        return AccessTokens.create(TokenSettings.builder()
                .issuer(TokenForge.ISSUER).audience(TokenForge.AUDIENCE)
                .rsaKey("rsa-1", TokenForge.RSA)
                .externalProvider(provider)
                .build(), audit, clock);
    }

    private static ExternalIdentityProvider.Builder provider() {
        return ExternalIdentityProvider.builder()
                .issuer(IDP).audience(IDP_AUDIENCE)
                .userIdClaim("employee_id").rolesClaim("groups")
                .mapRole("physician", Role.DOCTOR).mapRole("it-admin", Role.ADMIN);
    }

    private Map<String, Object> idpClaims() {
        long now = clock.instant().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", IDP);
        claims.put("aud", IDP_AUDIENCE);
        claims.put("sub", "f:4711");
        claims.put("employee_id", "emp-4711");
        claims.put("groups", List.of("physician", "cafeteria"));
        claims.put("exp", now + 300);
        claims.put("iat", now);
        claims.put("jti", "idp-jti");
        return claims;
    }

    private String idpToken(Map<String, Object> claims) {
        return TokenForge.rs256(TokenForge.header("RS256", "idp-1"), claims, RSA_OTHER.getPrivate());
    }

    @Test
    @DisplayName("a provider token maps its user id claim and role values to a CareChat caller")
    void mapsClaims() {
        Caller caller = service(provider().jwks(jwks()).build()).verify(idpToken(idpClaims()));
        assertThat(caller.userId().value()).isEqualTo("emp-4711");
        assertThat(caller.roles()).containsExactly(Role.DOCTOR);
    }

    @Test
    @DisplayName("the key set can come from a file")
    void fromFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("jwks.json");
        Files.writeString(file, jwks());
        assertThat(service(provider().jwksFile(file).build()).verify(idpToken(idpClaims())).roles())
                .containsExactly(Role.DOCTOR);
    }

    @Test
    @DisplayName("the key set can come from a JWKS URL, fetched by the server itself")
    void fromUrl() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/jwks.json", exchange -> {
            requests.incrementAndGet();
            byte[] body = jwks().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json");
            AccessTokens tokens = service(provider().jwksUrl(url).build());
            assertThat(tokens.verify(idpToken(idpClaims())).userId().value()).isEqualTo("emp-4711");
            assertThat(requests.get()).isPositive();
        } finally {
            server.stop(0);
        }
    }

    @Test
    @DisplayName("a provider token for another audience is refused")
    void wrongAudience() {
        Map<String, Object> claims = idpClaims();
        claims.put("aud", "other-app");
        AccessTokens tokens = service(provider().jwks(jwks()).build());
        assertThatThrownBy(() -> tokens.verify(idpToken(claims))).isExactlyInstanceOf(UnauthenticatedException.class);
        assertThat(audit.events()).extracting(AuditEvent::reason).containsExactly("wrong_audience");
    }

    @Test
    @DisplayName("a provider token is checked against the provider's own audience: CareChat's audience is refused there")
    void providersOwnAudience() {
        AccessTokens tokens = service(provider().jwks(jwks()).build());
        assertThat(tokens.verify(idpToken(idpClaims())).userId().value()).isEqualTo("emp-4711");
        Map<String, Object> claims = idpClaims();
        claims.put("aud", TokenForge.AUDIENCE);
        assertThatThrownBy(() -> tokens.verify(idpToken(claims))).isExactlyInstanceOf(UnauthenticatedException.class);
        assertThat(audit.events()).extracting(AuditEvent::reason).containsExactly("wrong_audience");
    }

    @Test
    @DisplayName("a provider token whose roles map to no CareChat role is refused")
    void noMappedRole() {
        Map<String, Object> claims = idpClaims();
        claims.put("groups", List.of("cafeteria"));
        AccessTokens tokens = service(provider().jwks(jwks()).build());
        assertThatThrownBy(() -> tokens.verify(idpToken(claims))).isExactlyInstanceOf(UnauthenticatedException.class);
        assertThat(audit.events()).extracting(AuditEvent::reason).containsExactly("no_mapped_role");
    }

    @Test
    @DisplayName("a provider token signed with CareChat's own key is refused: each issuer has its own keys")
    void ownKeyDoesNotSignForProvider() {
        AccessTokens tokens = service(provider().jwks(jwks()).build());
        String token = TokenForge.rs256(TokenForge.header("RS256", "rsa-1"), idpClaims(), TokenForge.RSA.getPrivate());
        assertThatThrownBy(() -> tokens.verify(token)).isExactlyInstanceOf(UnauthenticatedException.class);
        assertThat(audit.events()).extracting(AuditEvent::reason).containsExactly("unknown_kid");
    }

    @Test
    @DisplayName("a plain-http JWKS URL on a non-loopback host is refused at build()")
    void plainHttpRefused() {
        assertThatThrownBy(() -> provider().jwksUrl(URI.create("http://idp.hospital.test/jwks.json")).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("https");
    }

    @Test
    @DisplayName("HS256 is never accepted from a provider")
    void noHmacFromProvider() {
        assertThatThrownBy(() -> provider().jwks(jwks()).allowedAlgorithms("HS256").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("HS256");
    }
}
