package io.carechat.messaging.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.carechat.messaging.error.BadRequestException;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.error.ConflictException;
import io.carechat.messaging.error.ForbiddenException;
import io.carechat.messaging.error.RateLimitedException;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.error.UnauthenticatedException;
import io.carechat.messaging.error.UnavailableException;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.event.SessionsRevoked;
import io.carechat.messaging.memory.InMemoryAuditSink;
import io.carechat.messaging.memory.InMemoryRefreshTokenStore;
import io.carechat.messaging.memory.InMemoryStorage;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.AuditSink;
import io.carechat.messaging.spi.RefreshTokenStore;
import io.carechat.messaging.spi.RoleRequestStore;
import io.carechat.messaging.spi.StoredRefreshToken;
import io.carechat.messaging.spi.UserStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Accounts")
class AccountsTest {

    private static final String PASSWORD = "a long enough passphrase";
    private static final String ADMIN_PASSWORD = "the admin's own passphrase";
    private static final ClientContext CLIENT = ClientContext.fromAddress("192.0.2.10");

    private final TestClock clock = new TestClock();
    private final InMemoryStorage storage = new InMemoryStorage();
    private final UserStore users = storage.users();
    private final RoleRequestStore roleRequests = storage.roleRequests();
    private final RecordingRefreshTokenStore refreshStore = new RecordingRefreshTokenStore();
    private final SwitchableAuditSink audit = new SwitchableAuditSink();
    private final RecordingEventBus bus = new RecordingEventBus();
    private AccessTokens tokens;
    private Accounts accounts;

    @BeforeEach
    void wire() {
        tokens = AccessTokens.create(TokenSettings.builder()
                .issuer(TokenForge.ISSUER).audience(TokenForge.AUDIENCE)
                .rsaKey("rsa-1", TokenForge.RSA)
                .build(), audit, clock, TokenRevocations.create(users, bus));
        accounts = accounts(PasswordHasher.argon2id(64, 1, 1));
    }

    private Accounts accounts(PasswordHasher hasher) {
        return Accounts.builder()
                .users(users).roleRequests(roleRequests).refreshTokens(refreshStore)
                .auditSink(audit).eventBus(bus).accessTokens(tokens).clock(clock)
                .passwordHasher(hasher)
                .loginThrottle(new LoginThrottle.Settings(5, 20, 20, Duration.ofSeconds(1), Duration.ofMinutes(15),
                        Duration.ofMinutes(1), Duration.ofMinutes(15)))
                .build();
    }

    private User registerPatient() {
        return accounts.register(new Registration("pat", "pat@example.org", PASSWORD, "Pat Patient"), CLIENT);
    }

    private Caller loginAdmin() {
        accounts.createAdmin(new Registration("root", "root@hospital.test", ADMIN_PASSWORD, "Admin"));
        return tokens.verify(accounts.login("root", ADMIN_PASSWORD, CLIENT).accessToken());
    }

    private String passwordHash(String login) {
        return users.findCredentials(login).orElseThrow().passwordHash();
    }

    private List<String> actions() {
        return audit.events().stream().map(AuditEvent::action).toList();
    }

    private AuditEvent lastEvent(String action) {
        List<AuditEvent> matching = audit.events().stream().filter(e -> e.action().equals(action)).toList();
        assertThat(matching).as("audit events %s", action).isNotEmpty();
        return matching.get(matching.size() - 1);
    }

    private void assertRefreshRefused(String refreshToken) {
        assertThatThrownBy(() -> accounts.refresh(refreshToken, CLIENT))
                .isExactlyInstanceOf(UnauthenticatedException.class)
                .hasMessage(Accounts.REFRESH_FAILURE);
    }

    @Nested
    @DisplayName("registration")
    class Registering {
        @Test
        @DisplayName("a new user is a patient, and the registration is audited")
        void becomesPatient() {
            User user = registerPatient();
            assertThat(user.roles()).containsExactly(Role.PATIENT);
            assertThat(user.enabled()).isTrue();
            AuditEvent event = lastEvent("account.register");
            assertThat(event.outcome()).isEqualTo(AuditEvent.Outcome.SUCCESS);
            assertThat(event.objectId()).isEqualTo(user.id().value());
            assertThat(event.clientAddress()).isEqualTo("192.0.2.10");
        }

        @Test
        @DisplayName("a username taken in another case is a conflict")
        void duplicateUsername() {
            registerPatient();
            assertThatThrownBy(() -> accounts.register(new Registration("PAT", "other@example.org", PASSWORD, "P"), CLIENT))
                    .isInstanceOf(ConflictException.class);
            assertThat(lastEvent("account.register").reason()).isEqualTo("taken");
        }

        @Test
        @DisplayName("an e-mail address taken in another case is a conflict")
        void duplicateEmail() {
            registerPatient();
            assertThatThrownBy(() -> accounts.register(new Registration("pat2", "PAT@Example.ORG", PASSWORD, "P"), CLIENT))
                    .isInstanceOf(ConflictException.class);
        }

        @Test
        @DisplayName("a password the policy refuses, or a malformed username, is a bad request")
        void policyApplies() {
            assertThatThrownBy(() -> accounts.register(new Registration("pat", "pat@example.org", "short", "P"), CLIENT))
                    .isInstanceOf(BadRequestException.class);
            assertThatThrownBy(() -> accounts.register(new Registration("p/../at", "pat@example.org", PASSWORD, "P"), CLIENT))
                    .isInstanceOf(BadRequestException.class);
            assertThat(users.count()).isZero();
        }

        @Test
        @DisplayName("the embedding application's first admin holds the ADMIN role")
        void createAdmin() {
            User admin = accounts.createAdmin(new Registration("root", "root@hospital.test", ADMIN_PASSWORD, "Admin"));
            assertThat(admin.roles()).containsExactly(Role.ADMIN);
            assertThat(lastEvent("account.create_admin").outcome()).isEqualTo(AuditEvent.Outcome.SUCCESS);
        }
    }

    @Nested
    @DisplayName("login")
    class Login {
        @Test
        @DisplayName("login by username returns a 15-minute access token for the user's roles and a refresh token")
        void byUsername() {
            User user = registerPatient();
            SessionTokens session = accounts.login("pat", PASSWORD, CLIENT);
            Caller caller = tokens.verify(session.accessToken());
            assertThat(caller.userId()).isEqualTo(user.id());
            assertThat(caller.roles()).containsExactly(Role.PATIENT);
            assertThat(session.expiresIn()).isEqualTo(900);
            assertThat(session.refreshToken()).matches("[A-Za-z0-9_-]{43}");
            assertThat(lastEvent("auth.login").outcome()).isEqualTo(AuditEvent.Outcome.SUCCESS);
        }

        @Test
        @DisplayName("login by e-mail address works in any case")
        void byEmail() {
            User user = registerPatient();
            assertThat(accounts.login("Pat@EXAMPLE.org", PASSWORD, CLIENT).user().id()).isEqualTo(user.id());
        }

        @Test
        @DisplayName("a wrong password, an unknown user and a disabled account fail identically")
        void indistinguishable() {
            User user = registerPatient();
            Throwable wrongPassword = catchThrowable(() -> accounts.login("pat", "not the passphrase!", CLIENT));
            Throwable unknownUser = catchThrowable(() -> accounts.login("nobody", PASSWORD, CLIENT));
            users.setEnabled(user.id(), false);
            Throwable disabled = catchThrowable(() -> accounts.login("pat", PASSWORD, CLIENT));
            for (Throwable failure : List.of(wrongPassword, unknownUser, disabled)) {
                assertThat(failure).isExactlyInstanceOf(UnauthenticatedException.class).hasMessage(Accounts.LOGIN_FAILURE);
            }
            assertThat(audit.events().stream().filter(e -> e.action().equals("auth.login")).map(AuditEvent::reason))
                    .containsExactly("wrong_password", "unknown_user", "disabled");
        }

        @Test
        @DisplayName("guesses at one account from one address, by username or e-mail alike, slow that address down;"
                + " the owner logging in from another address gets in")
        void throttledPerAccountAndAddress() {
            registerPatient();
            ClientContext attacker = ClientContext.fromAddress("203.0.113.66");
            for (int i = 0; i < 5; i++) {
                String login = i % 2 == 0 ? "pat" : "PAT@example.org";
                assertThatThrownBy(() -> accounts.login(login, "wrong passphrase....", attacker))
                        .isInstanceOf(UnauthenticatedException.class);
            }
            assertThatThrownBy(() -> accounts.login("pat@example.org", PASSWORD, attacker))
                    .isInstanceOf(RateLimitedException.class);
            assertThat(lastEvent("auth.login").reason()).isEqualTo("throttled");
            assertThat(accounts.login("pat", PASSWORD, CLIENT).user().username()).as("the owner, elsewhere")
                    .isEqualTo("pat");
            clock.advance(Duration.ofSeconds(1));
            assertThatThrownBy(() -> accounts.login("pat", "wrong passphrase....", attacker))
                    .as("after the first wait, one more guess").isInstanceOf(UnauthenticatedException.class);
            clock.advance(Duration.ofSeconds(1));
            assertThatThrownBy(() -> accounts.login("pat", PASSWORD, attacker)).as("the wait doubled")
                    .isInstanceOf(RateLimitedException.class);
        }

        @Test
        @DisplayName("parallel guesses are counted before any password is hashed: no more than the free failures are checked")
        void parallelGuessesCannotExceedTheLimit() throws Exception {
            registerPatient();
            ClientContext attacker = ClientContext.fromAddress("203.0.113.67");
            int threads = 12;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> guesses = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    guesses.add(pool.submit(() -> {
                        start.await();
                        return accounts.login("pat", "wrong passphrase....", attacker);
                    }));
                }
                start.countDown();
                int checked = 0;
                int throttled = 0;
                for (Future<?> guess : guesses) {
                    try {
                        guess.get(60, TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        if (e.getCause() instanceof RateLimitedException) {
                            throttled++;
                        } else {
                            assertThat(e.getCause()).isInstanceOf(UnauthenticatedException.class);
                            checked++;
                        }
                    }
                }
                assertThat(checked).as("passwords checked").isEqualTo(5);
                assertThat(throttled).isEqualTo(threads - 5);
            } finally {
                pool.shutdownNow();
            }
        }

        @Test
        @DisplayName("after repeated failures from one address, logins from it are refused, from others not")
        void throttledPerSource() {
            registerPatient();
            ClientContext attacker = ClientContext.fromAddress("203.0.113.66");
            for (int i = 0; i < 20; i++) {
                String login = "guess" + i;
                assertThatThrownBy(() -> accounts.login(login, PASSWORD, attacker))
                        .isInstanceOf(UnauthenticatedException.class);
            }
            assertThatThrownBy(() -> accounts.login("pat", PASSWORD, attacker)).isInstanceOf(RateLimitedException.class);
            assertThat(accounts.login("pat", PASSWORD, CLIENT).user().username()).isEqualTo("pat");
        }

        @Test
        @DisplayName("a hash made with older parameters is replaced at the next successful login")
        void rehashOnLogin() {
            User user = accounts(PasswordHasher.argon2id(32, 1, 1))
                    .register(new Registration("pat", "pat@example.org", PASSWORD, "Pat"), CLIENT);
            assertThat(passwordHash("pat")).contains("m=32,");
            accounts.login("pat", PASSWORD, CLIENT);
            assertThat(passwordHash("pat")).contains("m=64,");
        }

        @Test
        @DisplayName("a password hasher given to the builder hashes and checks every password")
        void customHasherIsUsed() {
            accounts = accounts(PasswordHasher.pbkdf2(1_000));
            registerPatient();
            assertThat(passwordHash("pat")).startsWith("$pbkdf2-sha256$i=1000$");
            assertThat(accounts.login("pat", PASSWORD, CLIENT).user().username()).isEqualTo("pat");
            assertThatThrownBy(() -> accounts.login("pat", "not the passphrase at all", CLIENT))
                    .isInstanceOf(UnauthenticatedException.class);
        }

        @Test
        @DisplayName("with no hasher given, passwords are hashed with Argon2id at OWASP's parameters")
        void defaultHasherIsArgon2id() {
            accounts = Accounts.builder()
                    .users(users).roleRequests(roleRequests).refreshTokens(refreshStore)
                    .auditSink(audit).eventBus(bus).accessTokens(tokens).clock(clock)
                    .build();
            registerPatient();
            assertThat(passwordHash("pat")).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
            assertThat(accounts.login("pat", PASSWORD, CLIENT).user().username()).isEqualTo("pat");
        }

        @Test
        @DisplayName("no audit event holds the password or a token")
        void auditHoldsNoSecrets() {
            registerPatient();
            SessionTokens session = accounts.login("pat", PASSWORD, CLIENT);
            catchThrowable(() -> accounts.login("pat", "wrong passphrase....", CLIENT));
            for (AuditEvent event : audit.events()) {
                assertThat(event.toString()).doesNotContain(PASSWORD, "wrong passphrase", session.refreshToken(),
                        session.accessToken().split("\\.")[2]);
            }
        }
    }

    @Nested
    @DisplayName("refresh tokens")
    class Refresh {
        @Test
        @DisplayName("only the SHA-256 hash of a refresh token reaches the store")
        void storedHashed() {
            SessionTokens session = loginPatient();
            assertThat(refreshStore.created).hasSize(1);
            assertThat(refreshStore.created.get(0).tokenHash())
                    .isEqualTo(OpaqueTokens.hash(session.refreshToken()))
                    .isNotEqualTo(session.refreshToken());
        }

        @Test
        @DisplayName("each use returns a new refresh token and the used one stops working")
        void rotates() {
            SessionTokens first = loginPatient();
            SessionTokens second = accounts.refresh(first.refreshToken(), CLIENT);
            assertThat(second.refreshToken()).isNotEqualTo(first.refreshToken());
            assertThat(tokens.verify(second.accessToken()).userId()).isEqualTo(first.user().id());
            SessionTokens third = accounts.refresh(second.refreshToken(), CLIENT);
            assertThat(third.user().id()).isEqualTo(first.user().id());
        }

        @Test
        @DisplayName("reusing a rotated token revokes its whole family, is audited, and leaves other families alone")
        void reuseRevokesFamily() {
            SessionTokens first = loginPatient();
            SessionTokens otherDevice = accounts.login("pat", PASSWORD, CLIENT);
            SessionTokens second = accounts.refresh(first.refreshToken(), CLIENT);
            assertRefreshRefused(first.refreshToken());
            AuditEvent reuse = lastEvent("auth.refresh_reuse");
            assertThat(reuse.outcome()).isEqualTo(AuditEvent.Outcome.FAILURE);
            assertThat(reuse.actorId()).isEqualTo(first.user().id());
            assertRefreshRefused(second.refreshToken());
            assertThat(accounts.refresh(otherDevice.refreshToken(), CLIENT).user().id()).isEqualTo(first.user().id());
        }

        @Test
        @DisplayName("of concurrent uses of one token at most one wins, and the race revokes the family")
        void concurrentUse() throws Exception {
            SessionTokens session = loginPatient();
            int threads = 8;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<SessionTokens>> results = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    results.add(pool.submit(() -> {
                        start.await();
                        return accounts.refresh(session.refreshToken(), CLIENT);
                    }));
                }
                start.countDown();
                List<SessionTokens> winners = new ArrayList<>();
                int refused = 0;
                for (Future<SessionTokens> result : results) {
                    try {
                        winners.add(result.get(30, TimeUnit.SECONDS));
                    } catch (ExecutionException e) {
                        assertThat(e.getCause()).isExactlyInstanceOf(UnauthenticatedException.class);
                        refused++;
                    }
                }
                assertThat(winners).hasSizeLessThanOrEqualTo(1);
                assertThat(refused).isGreaterThanOrEqualTo(threads - 1);
                for (SessionTokens winner : winners) {
                    assertRefreshRefused(winner.refreshToken());
                }
            } finally {
                pool.shutdownNow();
            }
        }

        @Test
        @DisplayName("an expired, unknown or malformed refresh token fails with the one generic message")
        void expiredUnknownMalformed() {
            SessionTokens session = loginPatient();
            assertRefreshRefused(new OpaqueTokens().newToken());
            assertRefreshRefused("not a token");
            assertRefreshRefused(session.accessToken());
            clock.advance(Duration.ofDays(14).plusSeconds(1));
            assertRefreshRefused(session.refreshToken());
            assertThat(lastEvent("auth.refresh").reason()).isEqualTo("expired");
        }

        private SessionTokens loginPatient() {
            registerPatient();
            return accounts.login("pat", PASSWORD, CLIENT);
        }
    }

    @Nested
    @DisplayName("revocation")
    class Revocation {
        @Test
        @DisplayName("logout revokes every refresh token of the user and closes their sockets")
        void logout() {
            registerPatient();
            SessionTokens phone = accounts.login("pat", PASSWORD, CLIENT);
            SessionTokens laptop = accounts.login("pat", PASSWORD, CLIENT);
            accounts.logout(tokens.verify(phone.accessToken()));
            assertRefreshRefused(phone.refreshToken());
            assertRefreshRefused(laptop.refreshToken());
            assertThat(bus.published(SessionsRevoked.class))
                    .containsExactly(new SessionsRevoked(phone.user().id(), SessionsRevoked.Reason.LOGOUT));
            assertThat(lastEvent("auth.logout").actorId()).isEqualTo(phone.user().id());
        }

        @Test
        @DisplayName("disabling a user ends their sessions and stops their logins and refreshes")
        void disable() {
            Caller admin = loginAdmin();
            User patient = registerPatient();
            SessionTokens session = accounts.login("pat", PASSWORD, CLIENT);
            User after = accounts.disable(admin, patient.id());
            assertThat(after.enabled()).isFalse();
            assertRefreshRefused(session.refreshToken());
            assertThatThrownBy(() -> accounts.login("pat", PASSWORD, CLIENT))
                    .isExactlyInstanceOf(UnauthenticatedException.class).hasMessage(Accounts.LOGIN_FAILURE);
            assertThat(bus.published(SessionsRevoked.class))
                    .containsExactly(new SessionsRevoked(patient.id(), SessionsRevoked.Reason.DISABLED));
            AuditEvent event = lastEvent("account.disable");
            assertThat(event.actorId()).isEqualTo(admin.userId());
            assertThat(event.patientId()).isEqualTo(patient.id());
        }

        @Test
        @DisplayName("only an admin may disable, and not themselves")
        void disableNeedsAdmin() {
            Caller admin = loginAdmin();
            User patient = registerPatient();
            Caller patientCaller = tokens.verify(accounts.login("pat", PASSWORD, CLIENT).accessToken());
            assertThatThrownBy(() -> accounts.disable(patientCaller, admin.userId())).isInstanceOf(ForbiddenException.class);
            assertThat(lastEvent("account.disable").reason()).isEqualTo("not_admin");
            assertThatThrownBy(() -> accounts.disable(admin, admin.userId())).isInstanceOf(BadRequestException.class);
            assertThat(users.find(patient.id()).orElseThrow().enabled()).isTrue();
        }

        @Test
        @DisplayName("an admin lists users a page at a time and can enable a disabled user again, audited")
        void listAndEnable() {
            Caller admin = loginAdmin();
            User patient = registerPatient();
            assertThat(accounts.listUsers(admin, null, 1)).extracting(User::username).containsExactly("pat");
            assertThat(accounts.listUsers(admin, "pat", 10)).extracting(User::username).containsExactly("root");
            accounts.disable(admin, patient.id());
            assertThat(accounts.enable(admin, patient.id()).enabled()).isTrue();
            assertThat(accounts.login("pat", PASSWORD, CLIENT).user().id()).isEqualTo(patient.id());
            assertThat(actions()).contains("account.list", "account.enable");
        }

        @Test
        @DisplayName("me() returns the caller's stored account, and refuses a disabled one")
        void me() {
            Caller admin = loginAdmin();
            User patient = registerPatient();
            Caller caller = tokens.verify(accounts.login("pat", PASSWORD, CLIENT).accessToken());
            assertThat(accounts.me(caller)).isEqualTo(patient);
            accounts.disable(admin, patient.id());
            assertThatThrownBy(() -> accounts.me(caller)).isInstanceOf(UnauthenticatedException.class);
        }

        @Test
        @DisplayName("a token that claims ADMIN for a user who is not an admin in the store is refused")
        void storeDecidesAdmin() {
            User patient = registerPatient();
            Caller forged = Caller.of(patient.id(), Set.of(Role.ADMIN, Role.PATIENT));
            assertThatThrownBy(() -> accounts.listUsers(forged, null, 10)).isInstanceOf(ForbiddenException.class);
        }

        @Test
        @DisplayName("changing a user's roles revokes their tokens, closes their sockets and is audited")
        void setRoles() {
            Caller admin = loginAdmin();
            User patient = registerPatient();
            SessionTokens session = accounts.login("pat", PASSWORD, CLIENT);
            User after = accounts.setRoles(admin, patient.id(), Set.of(Role.DOCTOR));
            assertThat(after.roles()).containsExactly(Role.DOCTOR);
            assertRefreshRefused(session.refreshToken());
            assertThat(bus.published(SessionsRevoked.class))
                    .containsExactly(new SessionsRevoked(patient.id(), SessionsRevoked.Reason.ROLES_CHANGED));
            assertThat(lastEvent("account.set_roles").objectId()).isEqualTo(patient.id().value());
            assertThatThrownBy(() -> accounts.setRoles(admin, admin.userId(), Set.of(Role.DOCTOR)))
                    .isInstanceOf(BadRequestException.class);
        }
    }

    @Nested
    @DisplayName("a failing audit trail")
    class FailClosed {
        @Test
        @DisplayName("a login whose audit fails returns no tokens, and the tokens it made are revoked")
        void login() {
            User user = registerPatient();
            audit.failing = true;
            assertThatThrownBy(() -> accounts.login("pat", PASSWORD, CLIENT)).isInstanceOf(UnavailableException.class);
            assertThat(refreshStore.created).hasSize(1);
            assertThat(refreshStore.revokeAll(user.id(), clock.instant())).isZero();
        }

        @Test
        @DisplayName("a role change whose audit fails is taken back")
        void setRoles() {
            Caller admin = loginAdmin();
            User patient = registerPatient();
            audit.failing = true;
            assertThatThrownBy(() -> accounts.setRoles(admin, patient.id(), Set.of(Role.ADMIN)))
                    .isInstanceOf(UnavailableException.class);
            assertThat(users.find(patient.id()).orElseThrow().roles()).containsExactly(Role.PATIENT);
        }

        @Test
        @DisplayName("a registration whose audit fails leaves no usable account")
        void register() {
            audit.failing = true;
            assertThatThrownBy(this::registerQuietly).isInstanceOf(UnavailableException.class);
            audit.failing = false;
            assertThatThrownBy(() -> accounts.login("pat", PASSWORD, CLIENT)).isInstanceOf(UnauthenticatedException.class);
        }

        private void registerQuietly() {
            registerPatient();
        }
    }

    /** An audit sink that can be told to fail. */
    private static final class SwitchableAuditSink implements AuditSink {
        private final InMemoryAuditSink events = new InMemoryAuditSink();
        volatile boolean failing;

        @Override
        public void record(AuditEvent event) {
            if (failing) {
                throw new IllegalStateException("audit store down");
            }
            events.record(event);
        }

        List<AuditEvent> events() {
            return events.events();
        }
    }

    /** The in-memory store, remembering what it was asked to create. */
    private static final class RecordingRefreshTokenStore implements RefreshTokenStore {
        private final InMemoryRefreshTokenStore store = new InMemoryRefreshTokenStore();
        final List<StoredRefreshToken> created = new CopyOnWriteArrayList<>();

        @Override
        public void create(StoredRefreshToken token) {
            created.add(token);
            store.create(token);
        }

        @Override
        public Rotation rotate(String presentedHash, String successorHash, Instant now, Instant successorExpiresAt) {
            return store.rotate(presentedHash, successorHash, now, successorExpiresAt);
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
