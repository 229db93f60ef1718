package io.carechat.messaging.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import io.carechat.messaging.Messaging;
import io.carechat.messaging.crypto.StaticKeyProvider;
import io.carechat.messaging.error.ConfigurationException;
import io.carechat.messaging.error.UnauthenticatedException;
import io.carechat.messaging.memory.InMemoryAuditSink;
import io.carechat.messaging.memory.InMemoryEventBus;
import io.carechat.messaging.memory.InMemoryStorage;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AuditEvent;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("External-only mode: CareChat issues no tokens and needs no signing key")
class ExternalOnlyModeTest {

    private static final String IDP = "https://idp.hospital.test/realms/staff";

    private final TestClock clock = new TestClock();
    private final InMemoryAuditSink audit = new InMemoryAuditSink();

    private static ExternalIdentityProvider provider() {
        return ExternalIdentityProvider.builder()
                .issuer(IDP).audience("carechat")
                .jwks(new JWKSet(new RSAKey.Builder((RSAPublicKey) TokenForge.RSA_OTHER.getPublic())
                        .keyID("idp-1").build()).toString(true))
                .mapRole("doctor", Role.DOCTOR)
                .build();
    }

    private static TokenSettings.Builder externalOnly() {
        return TokenSettings.builder().issuer(TokenForge.ISSUER).audience(TokenForge.AUDIENCE)
                .externalOnly().externalProvider(provider());
    }

    private String idpToken() {
        long now = clock.instant().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", IDP);
        claims.put("aud", "carechat");
        claims.put("sub", "auth0|5f7c8ec7c33c6c004bbafe82");
        claims.put("roles", List.of("doctor"));
        claims.put("exp", now + 300);
        claims.put("iat", now);
        claims.put("jti", "j-1");
        return TokenForge.rs256(TokenForge.header("RS256", "idp-1"), claims, TokenForge.RSA_OTHER.getPrivate());
    }

    @Test
    @DisplayName("settings build without any key, and the provider's tokens are verified")
    void buildsWithoutKeyAndVerifies() {
        TokenSettings settings = externalOnly().build();
        assertThat(settings.issuesTokens()).isFalse();
        AccessTokens tokens = AccessTokens.create(settings, audit, clock);
        assertThat(tokens.verify(idpToken()).userId().value()).isEqualTo("auth0|5f7c8ec7c33c6c004bbafe82");
        assertThat(tokens.jwksJson()).contains("\"keys\"");
    }

    @Test
    @DisplayName("issuing a token fails with a ConfigurationException that says CareChat issues none")
    void issuingFailsClearly() {
        AccessTokens tokens = AccessTokens.create(externalOnly().build(), audit, clock);
        User user = new User(UserId.random(), "doc", "doc@example.org", "Doc", Set.of(Role.DOCTOR), true,
                Instant.EPOCH);
        assertThatThrownBy(() -> tokens.issue(user)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("external-only");
        assertThatThrownBy(() -> externalOnly().build().activeKeyId()).isInstanceOf(ConfigurationException.class);
    }

    @Test
    @DisplayName("a token claiming CareChat's own issuer is refused as wrong_issuer: there is no key to check it with")
    void ownIssuerRefused() {
        AccessTokens tokens = AccessTokens.create(externalOnly().build(), audit, clock);
        String forged = TokenForge.rs256(TokenForge.header("RS256", "rsa-1"), TokenForge.validClaims(clock.instant()),
                TokenForge.RSA.getPrivate());
        assertThatThrownBy(() -> tokens.verify(forged)).isExactlyInstanceOf(UnauthenticatedException.class);
        assertThat(audit.events()).extracting(AuditEvent::reason).containsExactly("wrong_issuer");
    }

    @Test
    @DisplayName("without a provider, or with a signing key, external-only settings are refused at build()")
    void misconfigurationsRefused() {
        assertThatThrownBy(() -> TokenSettings.builder().issuer(TokenForge.ISSUER).audience(TokenForge.AUDIENCE)
                .externalOnly().build())
                .isInstanceOf(ConfigurationException.class)
                .satisfies(e -> assertThat(((ConfigurationException) e).problems())
                        .contains("external-only mode needs at least one external provider"));
        assertThatThrownBy(() -> externalOnly().rsaKey("rsa-1", TokenForge.RSA).build())
                .isInstanceOf(ConfigurationException.class)
                .satisfies(e -> assertThat(((ConfigurationException) e).problems())
                        .contains("external-only mode takes no signing or verification key"));
    }

    @Test
    @DisplayName("without external-only mode a signing key is still required")
    void keyStillRequiredOtherwise() {
        assertThatThrownBy(() -> TokenSettings.builder().issuer(TokenForge.ISSUER).audience(TokenForge.AUDIENCE)
                .externalProvider(provider()).build())
                .isInstanceOf(ConfigurationException.class)
                .satisfies(e -> assertThat(((ConfigurationException) e).problems())
                        .contains("a signing key is required: an HS256 secret, an RSA or an EC key pair"));
    }

    @Test
    @DisplayName("Messaging builds in external-only mode, and login fails with a ConfigurationException")
    void messagingLoginRefused() {
        try (InMemoryEventBus bus = new InMemoryEventBus();
                Messaging messaging = Messaging.builder().storage(new InMemoryStorage()).eventBus(bus)
                        .auditSink(audit).keyProvider(StaticKeyProvider.generate("k1")).clock(clock)
                        .tokens(externalOnly().build()).build()) {
            assertThat(messaging.tokens().verify(idpToken()).roles()).containsExactly(Role.DOCTOR);
            messaging.accounts().register(new Registration("patient1", "p1@example.org",
                    "a long enough passphrase 1", "Pat One"), ClientContext.unknown());
            assertThatThrownBy(() -> messaging.accounts().login("patient1", "a long enough passphrase 1",
                    ClientContext.unknown()))
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining("external-only");
        }
    }
}
