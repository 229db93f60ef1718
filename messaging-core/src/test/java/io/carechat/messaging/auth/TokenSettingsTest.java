package io.carechat.messaging.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.error.ConfigurationException;
import io.carechat.messaging.Messaging;
import io.carechat.messaging.memory.InMemoryAuditSink;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Token settings")
class TokenSettingsTest {

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private static TokenSettings.Builder base() {
        return TokenSettings.builder().issuer("https://carechat.test").audience("carechat");
    }

    @Test
    @DisplayName("an HS256 secret shorter than 256 bits is refused at build()")
    void shortSecretRefused() {
        assertThatThrownBy(() -> base().hmacSecret("hs-1", randomBytes(31)).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("248 bits; at least 256 are required");
    }

    @Test
    @DisplayName("an HS256 secret of exactly 256 random bits is accepted and its tokens verify")
    void secretOf256BitsAccepted() {
        TokenSettings settings = base().hmacSecret("hs-1", randomBytes(32)).build();
        AccessTokens tokens = AccessTokens.create(settings, new InMemoryAuditSink(), Clock.systemUTC());
        User user = new User(UserId.of("u-1"), "pat", "p@example.org", "Pat", Set.of(Role.PATIENT), true, Instant.now());
        assertThat(tokens.verify(tokens.issue(user).token()).userId().value()).isEqualTo("u-1");
        assertThat(tokens.jwksJson()).isEqualTo("{\"keys\":[]}");
    }

    @Test
    @DisplayName("a secret that repeats one byte is refused however long it is")
    void repeatedByteRefused() {
        assertThatThrownBy(() -> base().hmacSecret("hs-1", new byte[64]).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("repeats one byte");
    }

    @Test
    @DisplayName("every problem is reported at once")
    void allProblemsAtOnce() {
        assertThatThrownBy(() -> TokenSettings.builder()
                        .hmacSecret("hs-1", randomBytes(16))
                        .clockSkew(Duration.ofSeconds(60))
                        .accessTokenTtl(Duration.ZERO)
                        .allowedAlgorithms("HS256", "none")
                        .build())
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems())
                        .anyMatch(p -> p.contains("at least 256"))
                        .anyMatch(p -> p.contains("issuer is required"))
                        .anyMatch(p -> p.contains("audience is required"))
                        .anyMatch(p -> p.contains("clockSkew"))
                        .anyMatch(p -> p.contains("accessTokenTtl"))
                        .anyMatch(p -> p.contains("'none' is not supported")));
    }

    @Test
    @DisplayName("an RSA key shorter than 2048 bits is refused")
    void shortRsaRefused() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        assertThatThrownBy(() -> base().rsaKey("rsa-1", generator.generateKeyPair()).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("fewer than 2048 bits");
    }

    @Test
    @DisplayName("the access token lifetime defaults to 15 minutes and the skew to 30 seconds")
    void defaults() {
        TokenSettings settings = base().rsaKey("rsa-1", TokenForge.RSA).build();
        assertThat(settings.accessTokenTtl()).isEqualTo(Duration.ofMinutes(15));
        assertThat(settings.clockSkew()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.allowedAlgorithms()).containsExactly("RS256");
        assertThat(settings.toString()).doesNotContain("PRIVATE");
    }

    @Test
    @DisplayName("the JWKS holds the public parts of every asymmetric key and no private part")
    void jwksPublicOnly() {
        TokenSettings settings = base().rsaKey("rsa-1", TokenForge.RSA).ecKey("ec-1", TokenForge.EC).build();
        String jwks = AccessTokens.create(settings, new InMemoryAuditSink(), Clock.systemUTC()).jwksJson();
        assertThat(jwks).contains("\"kid\":\"rsa-1\"", "\"kid\":\"ec-1\"", "\"n\"", "\"x\"")
                .doesNotContain("\"d\"", "\"p\"", "\"q\"", "\"dp\"");
    }

    @Test
    @DisplayName("the facade's build() reports missing token collaborators together with its other problems")
    void facadeReportsTokenProblems() {
        assertThatThrownBy(() -> Messaging.builder().tokens(base().rsaKey("rsa-1", TokenForge.RSA).build()).build())
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems()).contains(
                        "storage is required", "eventBus is required", "auditSink is required"));
    }
}
