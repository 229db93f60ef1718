package io.carechat.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.carechat.messaging.auth.ClientContext;
import io.carechat.messaging.auth.PasswordHasher;
import io.carechat.messaging.auth.Registration;
import io.carechat.messaging.auth.SessionTokens;
import io.carechat.messaging.auth.TokenSettings;
import io.carechat.messaging.crypto.StaticKeyProvider;
import io.carechat.messaging.error.ConfigurationException;
import io.carechat.messaging.error.UnauthenticatedException;
import io.carechat.messaging.memory.InMemoryAuditSink;
import io.carechat.messaging.memory.InMemoryEventBus;
import io.carechat.messaging.memory.InMemoryRefreshTokenStore;
import io.carechat.messaging.memory.InMemoryStorage;
import io.carechat.messaging.model.MessagingLimits;
import io.carechat.messaging.spi.RefreshTokenStore;
import io.carechat.messaging.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Messaging.Builder")
class MessagingBuilderTest {

    @Test
    @DisplayName("build() reports every problem of the configuration at once")
    void reportsEveryProblem() {
        MessagingLimits bad = MessagingLimits.builder()
                .maxBodyChars(0)
                .maxClientMsgIdLength(65)
                .defaultHistoryLimit(200)
                .backlogLimit(-1)
                .build();
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class,
                () -> Messaging.builder().limits(bad).build());
        assertThat(e).isNotNull();
        assertThat(e.problems()).containsExactlyInAnyOrder(
                "storage is required",
                "eventBus is required",
                "auditSink is required",
                "keyProvider is required",
                "maxBodyChars must be at least 1, was 0",
                "maxClientMsgIdLength must be 1 to 64, was 65",
                "defaultHistoryLimit must be 1 to maxHistoryLimit (100), was 200",
                "backlogLimit must be at least 1, was -1");
        assertThat(e.getMessage()).startsWith("Messaging is misconfigured: ");
    }

    @Test
    @DisplayName("a complete configuration builds, and the facade keeps the given clock and limits")
    void completeConfigurationBuilds() {
        MessagingLimits limits = MessagingLimits.builder().maxBodyChars(100).build();
        MutableClock clock = new MutableClock(Clinic.START);
        try (InMemoryEventBus bus = new InMemoryEventBus();
                Messaging messaging = Messaging.builder().storage(new InMemoryStorage()).eventBus(bus)
                        .auditSink(new InMemoryAuditSink()).keyProvider(StaticKeyProvider.generate("k1"))
                        .clock(clock).limits(limits).build()) {
            assertThat(messaging.limits()).isEqualTo(limits);
            assertThat(messaging.clock()).isSameAs(clock);
        }
    }

    @Test
    @DisplayName("with tokens and no refresh token store, the storage's refresh token store keeps the tokens")
    void refreshTokensDefaultToTheStorage() {
        InMemoryStorage storage = new InMemoryStorage();
        try (InMemoryEventBus bus = new InMemoryEventBus();
                Messaging messaging = withTokens(storage, bus).build()) {
            SessionTokens session = registerAndLogin(messaging);
            storage.refreshTokens().revokeAll(session.user().id(), messaging.clock().instant());
            assertThatThrownBy(() -> messaging.accounts().refresh(session.refreshToken(), ClientContext.unknown()))
                    .isInstanceOf(UnauthenticatedException.class);
        }
    }

    @Test
    @DisplayName("a refresh token store given to the builder replaces the storage's")
    void explicitRefreshTokenStoreWins() {
        InMemoryStorage storage = new InMemoryStorage();
        RefreshTokenStore own = new InMemoryRefreshTokenStore();
        try (InMemoryEventBus bus = new InMemoryEventBus();
                Messaging messaging = withTokens(storage, bus).refreshTokens(own).build()) {
            SessionTokens session = registerAndLogin(messaging);
            assertThat(storage.refreshTokens().revokeAll(session.user().id(), messaging.clock().instant())).isZero();
            assertThat(own.revokeAll(session.user().id(), messaging.clock().instant())).isEqualTo(1);
        }
    }

    private static Messaging.Builder withTokens(InMemoryStorage storage, InMemoryEventBus bus) {
        byte[] secret = "a test secret of at least thirty-two bytes".getBytes(StandardCharsets.UTF_8);
        return Messaging.builder().storage(storage).eventBus(bus).auditSink(new InMemoryAuditSink())
                .keyProvider(StaticKeyProvider.generate("k1")).passwordHasher(PasswordHasher.argon2id(64, 1, 1))
                .tokens(TokenSettings.builder().issuer("https://carechat.test").audience("carechat")
                        .hmacSecret("k1", secret).build());
    }

    private static SessionTokens registerAndLogin(Messaging messaging) {
        messaging.accounts().register(
                new Registration("sam", "sam@example.org", "a long enough passphrase", "Sam"), ClientContext.unknown());
        return messaging.accounts().login("sam", "a long enough passphrase", ClientContext.unknown());
    }
}
