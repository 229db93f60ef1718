package io.carechat.messaging.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.error.ConfigurationException;
import io.carechat.messaging.error.UnauthenticatedException;
import io.carechat.messaging.event.Resync;
import io.carechat.messaging.memory.InMemoryAuditSink;
import io.carechat.messaging.memory.InMemoryRefreshTokenStore;
import io.carechat.messaging.memory.InMemoryStorage;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.RefreshTokenStore;
import io.carechat.messaging.spi.StoredRefreshToken;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Immediate revocation and the refresh family's lifetime")
class RevocationTest {
    private static final String PASSWORD = "a long enough passphrase";
    private static final String ADMIN_PASSWORD = "the admin's own passphrase";
    private static final ClientContext CLIENT = ClientContext.fromAddress("192.0.2.10");
    private static final TokenSettings SETTINGS = TokenSettings.builder()
            .issuer(TokenForge.ISSUER).audience(TokenForge.AUDIENCE).rsaKey("rsa-1", TokenForge.RSA)
            .refreshTokenTtl(Duration.ofDays(14)).refreshFamilyLifetime(Duration.ofDays(30))
            .build();

    private final TestClock clock = new TestClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final InMemoryStorage storage = new InMemoryStorage();
    private final InMemoryAuditSink audit = new InMemoryAuditSink();
    private final RecordingEventBus bus = new RecordingEventBus();
    private final RacingRefreshTokens refreshTokens = new RacingRefreshTokens();
    private final TokenRevocations revocations = TokenRevocations.create(storage.users(), bus);
    private final AccessTokens tokens = AccessTokens.create(SETTINGS, audit, clock, revocations);
    private final Accounts accounts = Accounts.builder()
            .users(storage.users()).roleRequests(storage.roleRequests()).refreshTokens(refreshTokens)
            .auditSink(audit).eventBus(bus).accessTokens(tokens).clock(clock)
            .passwordHasher(PasswordHasher.argon2id(64, 1, 1))
            .build();

    @AfterEach
    void close() {
        revocations.close();
    }

    private User registerPatient() {
        return accounts.register(new Registration("pat", "pat@example.org", PASSWORD, "Pat Patient"), CLIENT);
    }

    private Caller loginAdmin() {
        accounts.createAdmin(new Registration("root", "root@hospital.test", ADMIN_PASSWORD, "Admin"));
        return tokens.verify(accounts.login("root", ADMIN_PASSWORD, CLIENT).accessToken());
    }

    private void assertRefused(AccessTokens service, String token) {
        assertThatThrownBy(() -> service.verify(token)).isExactlyInstanceOf(UnauthenticatedException.class)
                .hasMessage(AccessTokens.GENERIC_FAILURE);
    }

    private List<String> reasons(String action) {
        return audit.events().stream().filter(e -> e.action().equals(action)).map(AuditEvent::reason).toList();
    }

    @Nested
    @DisplayName("access tokens")
    class AccessTokensRevoked {
        @Test
        @DisplayName("after logout the access token is refused at once, audited as revoked")
        void logout() {
            registerPatient();
            String token = accounts.login("pat", PASSWORD, CLIENT).accessToken();
            Caller pat = tokens.verify(token);
            clock.advance(Duration.ofMillis(5));
            accounts.logout(pat);
            assertRefused(tokens, token);
            assertThat(reasons("token.rejected")).containsExactly("revoked");
        }

        @Test
        @DisplayName("a login right after a logout, within the same second, gives a token that works; the old one stays refused")
        void loginInTheSameSecond() {
            registerPatient();
            clock.advance(Duration.ofMillis(100));
            String before = accounts.login("pat", PASSWORD, CLIENT).accessToken();
            clock.advance(Duration.ofMillis(100));
            accounts.logout(tokens.verify(before));
            clock.advance(Duration.ofMillis(100));
            String after = accounts.login("pat", PASSWORD, CLIENT).accessToken();
            assertThat(tokens.verify(after).userId()).isEqualTo(tokens.authenticate(after, CLIENT).caller().userId());
            assertThat(tokens.authenticate(after, CLIENT).issuedAt()).isEqualTo(Instant.parse("2026-03-01T10:00:00.300Z"));
            assertRefused(tokens, before);
        }

        @Test
        @DisplayName("a login in the very millisecond of a logout gets a token that works, issued just after the revocation")
        void loginInTheSameMillisecond() {
            registerPatient();
            clock.advance(Duration.ofMillis(100));
            String before = accounts.login("pat", PASSWORD, CLIENT).accessToken();
            clock.advance(Duration.ofMillis(100));
            accounts.logout(tokens.verify(before));
            String after = accounts.login("pat", PASSWORD, CLIENT).accessToken();
            assertThat(tokens.authenticate(after, CLIENT).issuedAt()).as("accepted, and issued just after the revocation")
                    .isEqualTo(Instant.parse("2026-03-01T10:00:00.201Z"));
            assertRefused(tokens, before);
        }

        @Test
        @DisplayName("disabling a user and changing their roles refuse their tokens at once")
        void disableAndRoles() {
            Caller admin = loginAdmin();
            User pat = registerPatient();
            String first = accounts.login("pat", PASSWORD, CLIENT).accessToken();
            clock.advance(Duration.ofMillis(1));
            accounts.setRoles(admin, pat.id(), Set.of(Role.PATIENT, Role.DOCTOR));
            assertRefused(tokens, first);
            clock.advance(Duration.ofMillis(1));
            String second = accounts.login("pat", PASSWORD, CLIENT).accessToken();
            assertThat(tokens.verify(second).roles()).contains(Role.DOCTOR);
            clock.advance(Duration.ofMillis(1));
            accounts.disable(admin, pat.id());
            assertRefused(tokens, second);
        }

        @Test
        @DisplayName("another node remembering the user refuses the token once the bus tells it of the logout")
        void otherNode() {
            registerPatient();
            try (TokenRevocations nodeB = TokenRevocations.create(storage.users(), bus)) {
                AccessTokens tokensB = AccessTokens.create(SETTINGS, audit, clock, nodeB);
                String token = accounts.login("pat", PASSWORD, CLIENT).accessToken();
                assertThat(tokensB.verify(token).userId()).isNotNull();
                clock.advance(Duration.ofMillis(1));
                accounts.logout(tokens.verify(token));
                assertRefused(tokensB, token);
            }
        }

        @Test
        @DisplayName("checks come from memory, not the store; a resync makes a node read the store again")
        void memoryAndResync() {
            User pat = registerPatient();
            String token = accounts.login("pat", PASSWORD, CLIENT).accessToken();
            assertThat(tokens.verify(token).userId()).isEqualTo(pat.id());
            storage.users().revokeTokensIssuedBefore(pat.id(), clock.instant().plusMillis(1));
            assertThat(tokens.verify(token).userId()).as("remembered; no store read per call").isEqualTo(pat.id());
            bus.publish(new Resync());
            assertRefused(tokens, token);
        }

        @Test
        @DisplayName("accounts refuse a token service that does not track revocations")
        void accountsNeedTracking() {
            assertThatThrownBy(() -> Accounts.builder()
                    .users(storage.users()).roleRequests(storage.roleRequests()).refreshTokens(refreshTokens)
                    .auditSink(audit).eventBus(bus).accessTokens(AccessTokens.create(SETTINGS, audit, clock))
                    .build())
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("accessTokens must track revocations");
        }
    }

    @Nested
    @DisplayName("refresh tokens")
    class RefreshTokens {
        @Test
        @DisplayName("a family ends at its absolute lifetime from the login, however often it was rotated")
        void familyLifetime() {
            registerPatient();
            SessionTokens session = accounts.login("pat", PASSWORD, CLIENT);
            Instant loginTime = clock.instant();
            for (int i = 0; i < 3; i++) {
                clock.advance(Duration.ofDays(9));
                session = accounts.refresh(session.refreshToken(), CLIENT);
            }
            StoredRefreshToken latest = refreshTokens.lastSuccessor;
            assertThat(latest.expiresAt()).as("capped at the family's end").isEqualTo(loginTime.plus(Duration.ofDays(30)));
            clock.advance(Duration.ofDays(3));
            String refreshToken = session.refreshToken();
            assertThatThrownBy(() -> accounts.refresh(refreshToken, CLIENT))
                    .isExactlyInstanceOf(UnauthenticatedException.class);
            assertThat(reasons("auth.refresh")).last().isEqualTo("expired");
        }

        @Test
        @DisplayName("a refresh that races a logout yields no working token: neither its access token nor its refresh token")
        void refreshRacingLogout() {
            registerPatient();
            SessionTokens session = accounts.login("pat", PASSWORD, CLIENT);
            Caller pat = tokens.verify(session.accessToken());
            clock.advance(Duration.ofSeconds(1));
            refreshTokens.afterRotation = () -> accounts.logout(pat);
            assertThatThrownBy(() -> accounts.refresh(session.refreshToken(), CLIENT))
                    .isExactlyInstanceOf(UnauthenticatedException.class);
            assertThat(reasons("auth.refresh")).last().isEqualTo("revoked_meanwhile");
            refreshTokens.afterRotation = null;
            String successor = refreshTokens.lastSuccessor.tokenHash();
            assertThat(refreshTokens.rotate(successor, "f".repeat(64), clock.instant(), clock.instant().plusSeconds(60))
                    .outcome()).isEqualTo(RefreshTokenStore.Outcome.REVOKED);
        }
    }

    /** The in-memory store, with a hook that runs right after a successful rotation. */
    private static final class RacingRefreshTokens implements RefreshTokenStore {
        private final InMemoryRefreshTokenStore store = new InMemoryRefreshTokenStore();
        private volatile @Nullable Runnable afterRotation;
        private volatile @Nullable StoredRefreshToken lastSuccessor;

        @Override
        public void create(StoredRefreshToken token) {
            store.create(token);
        }

        @Override
        public Rotation rotate(String presentedHash, String successorHash, Instant now, Instant successorExpiresAt) {
            Rotation rotation = store.rotate(presentedHash, successorHash, now, successorExpiresAt);
            if (rotation.successor() != null) {
                lastSuccessor = rotation.successor();
                Runnable hook = afterRotation;
                if (hook != null) {
                    hook.run();
                }
            }
            return rotation;
        }

        @Override
        public int revokeFamily(String familyId, Instant now) {
            return store.revokeFamily(familyId, now);
        }

        @Override
        public int revokeAll(UserId userId, Instant now) {
            return store.revokeAll(userId, now);
        }
    }
}
