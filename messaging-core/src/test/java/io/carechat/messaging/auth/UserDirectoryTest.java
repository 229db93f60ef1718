package io.carechat.messaging.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.error.BadRequestException;
import io.carechat.messaging.error.ConflictException;
import io.carechat.messaging.error.NotFoundException;
import io.carechat.messaging.error.UnauthenticatedException;
import io.carechat.messaging.error.UnavailableException;
import io.carechat.messaging.event.SessionsRevoked;
import io.carechat.messaging.memory.InMemoryAuditSink;
import io.carechat.messaging.memory.InMemoryStorage;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.AuditSink;
import io.carechat.messaging.spi.RefreshTokenStore;
import io.carechat.messaging.spi.StoredRefreshToken;
import io.carechat.messaging.spi.UserStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The user directory API")
class UserDirectoryTest {

    private static final String ACTOR = "hr-sync";
    private static final UserId SUBJECT = UserId.of("auth0|5f7c8ec7c33c6c004bbafe82");
    private static final String REFRESH_HASH = "a".repeat(64);

    private final TestClock clock = new TestClock();
    private final InMemoryStorage storage = new InMemoryStorage();
    private final UserStore users = storage.users();
    private final RefreshTokenStore refreshTokens = storage.refreshTokens();
    private final SwitchableAuditSink audit = new SwitchableAuditSink();
    private final RecordingEventBus bus = new RecordingEventBus();
    private AccessTokens tokens;
    private Accounts accounts;
    private UserDirectory directory;

    @BeforeEach
    void wire() {
        tokens = AccessTokens.create(TokenSettings.builder()
                .issuer(TokenForge.ISSUER).audience(TokenForge.AUDIENCE)
                .rsaKey("rsa-1", TokenForge.RSA)
                .build(), audit, clock, TokenRevocations.create(users, bus));
        accounts = Accounts.builder()
                .users(users).roleRequests(storage.roleRequests()).refreshTokens(refreshTokens)
                .auditSink(audit).eventBus(bus).accessTokens(tokens).clock(clock)
                .passwordHasher(PasswordHasher.argon2id(64, 1, 1))
                .build();
        directory = accounts.directory();
    }

    private static DirectoryUser doctor(String username, String email, String displayName) {
        return new DirectoryUser(SUBJECT, username, email, displayName, Set.of(Role.DOCTOR));
    }

    private static DirectoryUser grace() {
        return doctor("grace", "grace@hospital.example", "Dr Grace Hopper");
    }

    private List<AuditEvent> events(String action) {
        return audit.events().stream().filter(e -> e.action().equals(action)).toList();
    }

    /** A session of the user: an access token and a stored refresh token, issued a second ago. */
    private String sessionOf(User user) {
        String accessToken = tokens.issue(user).token();
        refreshTokens.create(new StoredRefreshToken(REFRESH_HASH, "family-1", user.id(), clock.instant(),
                clock.instant().plus(Duration.ofDays(1)), clock.instant().plus(Duration.ofDays(30))));
        clock.advance(Duration.ofSeconds(1));
        return accessToken;
    }

    private RefreshTokenStore.Outcome useRefreshToken() {
        return refreshTokens.rotate(REFRESH_HASH, "b".repeat(64), clock.instant(),
                clock.instant().plus(Duration.ofDays(1))).outcome();
    }

    @Test
    @DisplayName("upsert creates an absent user with the subject as id, the given roles and no usable password, audited with the actor")
    void upsertCreates() {
        User created = directory.upsert(ACTOR, grace());
        assertThat(created).isEqualTo(new User(SUBJECT, "grace", "grace@hospital.example", "Dr Grace Hopper",
                Set.of(Role.DOCTOR), true, clock.instant()));
        assertThat(users.find(SUBJECT)).contains(created);
        assertThat(users.findCredentials("grace").orElseThrow().passwordHash())
                .isEqualTo(ExternalUserProvisioner.NO_PASSWORD);
        assertThatThrownBy(() -> accounts.login("grace", ExternalUserProvisioner.NO_PASSWORD,
                        ClientContext.unknown()))
                .isInstanceOf(UnauthenticatedException.class);
        AuditEvent event = events("directory.create").get(0);
        assertThat(event.outcome()).isEqualTo(AuditEvent.Outcome.SUCCESS);
        assertThat(event.clientId()).isEqualTo(ACTOR);
        assertThat(event.actorId()).isNull();
        assertThat(event.objectId()).isEqualTo(SUBJECT.value());
    }

    @Test
    @DisplayName("upsert of a known user replaces username, e-mail and display name, audited, and leaves the session alone")
    void upsertUpdatesProfile() {
        User created = directory.upsert(ACTOR, grace());
        String accessToken = sessionOf(created);
        User changed = directory.upsert(ACTOR, doctor("ghopper", "g.hopper@hospital.example", "Grace Hopper"));
        assertThat(changed).isEqualTo(new User(SUBJECT, "ghopper", "g.hopper@hospital.example", "Grace Hopper",
                Set.of(Role.DOCTOR), true, created.createdAt()));
        assertThat(users.findCredentials("grace")).isEmpty();
        assertThat(tokens.verify(accessToken).userId()).isEqualTo(SUBJECT);
        assertThat(bus.published(SessionsRevoked.class)).isEmpty();
        assertThat(events("directory.update")).singleElement()
                .satisfies(e -> assertThat(e.clientId()).isEqualTo(ACTOR));
    }

    @Test
    @DisplayName("upsert of an unchanged user writes and audits nothing")
    void unchangedUpsertIsQuiet() {
        directory.upsert(ACTOR, grace());
        int recorded = audit.events().size();
        User again = directory.upsert(ACTOR, grace());
        assertThat(again).isEqualTo(users.find(SUBJECT).orElseThrow());
        assertThat(audit.events()).hasSize(recorded);
    }

    @Test
    @DisplayName("a change of roles refuses the user's tokens at once, revokes their refresh tokens and publishes ROLES_CHANGED")
    void rolesChangeRevokes() {
        User created = directory.upsert(ACTOR, grace());
        String accessToken = sessionOf(created);
        User changed = directory.update(ACTOR, new DirectoryUser(SUBJECT, "grace", "grace@hospital.example",
                "Dr Grace Hopper", Set.of(Role.DOCTOR, Role.ADMIN)));
        assertThat(changed.roles()).containsExactlyInAnyOrder(Role.DOCTOR, Role.ADMIN);
        assertThatThrownBy(() -> tokens.verify(accessToken)).isInstanceOf(UnauthenticatedException.class);
        assertThat(useRefreshToken()).isEqualTo(RefreshTokenStore.Outcome.REVOKED);
        assertThat(bus.published(SessionsRevoked.class))
                .containsExactly(new SessionsRevoked(SUBJECT, SessionsRevoked.Reason.ROLES_CHANGED));
        assertThat(events("directory.update")).singleElement()
                .satisfies(e -> assertThat(e.clientId()).isEqualTo(ACTOR));
    }

    @Test
    @DisplayName("deactivate disables the user and refuses their tokens and refresh tokens at once, publishing DISABLED, audited with the actor")
    void deactivateRevokesAtOnce() {
        User created = directory.upsert(ACTOR, grace());
        String accessToken = sessionOf(created);
        User after = directory.deactivate(ACTOR, SUBJECT);
        assertThat(after.enabled()).isFalse();
        assertThat(users.find(SUBJECT).orElseThrow().enabled()).isFalse();
        assertThatThrownBy(() -> tokens.verify(accessToken)).isInstanceOf(UnauthenticatedException.class);
        assertThat(useRefreshToken()).isEqualTo(RefreshTokenStore.Outcome.REVOKED);
        assertThat(bus.published(SessionsRevoked.class))
                .containsExactly(new SessionsRevoked(SUBJECT, SessionsRevoked.Reason.DISABLED));
        AuditEvent event = events("directory.deactivate").get(0);
        assertThat(event.clientId()).isEqualTo(ACTOR);
        assertThat(event.objectId()).isEqualTo(SUBJECT.value());
    }

    @Test
    @DisplayName("upsert does not enable a deactivated user; reactivate does, audited")
    void reactivateEnablesAgain() {
        directory.upsert(ACTOR, grace());
        directory.deactivate(ACTOR, SUBJECT);
        assertThat(directory.upsert(ACTOR, doctor("grace", "grace@hospital.example", "Grace")).enabled()).isFalse();
        assertThat(directory.reactivate(ACTOR, SUBJECT).enabled()).isTrue();
        assertThat(users.find(SUBJECT).orElseThrow().enabled()).isTrue();
        assertThat(events("directory.reactivate")).singleElement()
                .satisfies(e -> assertThat(e.clientId()).isEqualTo(ACTOR));
    }

    @Test
    @DisplayName("deactivate takes effect even when the audit record fails")
    void deactivateStandsWhenAuditFails() {
        directory.upsert(ACTOR, grace());
        audit.failing = true;
        assertThatThrownBy(() -> directory.deactivate(ACTOR, SUBJECT)).isInstanceOf(UnavailableException.class);
        assertThat(users.find(SUBJECT).orElseThrow().enabled()).isFalse();
    }

    @Test
    @DisplayName("an update whose audit record fails is taken back, roles and profile both")
    void failedAuditUndoesUpdate() {
        User created = directory.upsert(ACTOR, grace());
        audit.failing = true;
        assertThatThrownBy(() -> directory.upsert(ACTOR, new DirectoryUser(SUBJECT, "ghopper",
                        "g.hopper@hospital.example", "Grace", Set.of(Role.PATIENT))))
                .isInstanceOf(UnavailableException.class);
        assertThat(users.find(SUBJECT)).contains(created);
    }

    @Test
    @DisplayName("a username or e-mail address another user holds, in any case, is a conflict that echoes neither, audited")
    void takenLoginsConflict() {
        directory.upsert(ACTOR, grace());
        UserId other = UserId.of("okta|00u1abcd");
        assertThatThrownBy(() -> directory.upsert(ACTOR, new DirectoryUser(other, "GRACE", "other@hospital.example",
                        "Other", Set.of(Role.PATIENT))))
                .isInstanceOf(ConflictException.class)
                .hasMessage("username is taken");
        assertThatThrownBy(() -> directory.upsert(ACTOR, new DirectoryUser(other, "other",
                        "Grace@Hospital.example", "Other", Set.of(Role.PATIENT))))
                .isInstanceOf(ConflictException.class)
                .hasMessage("e-mail address is taken");
        assertThat(users.find(other)).isEmpty();
        assertThat(events("directory.create"))
                .filteredOn(e -> e.outcome() == AuditEvent.Outcome.FAILURE)
                .hasSize(2)
                .allSatisfy(e -> assertThat(e.reason()).isEqualTo("taken"));
        directory.upsert(ACTOR, new DirectoryUser(other, "other", "other@hospital.example", "Other",
                Set.of(Role.PATIENT)));
        assertThatThrownBy(() -> directory.update(ACTOR, new DirectoryUser(other, "grace", "other@hospital.example",
                        "Other", Set.of(Role.PATIENT))))
                .isInstanceOf(ConflictException.class);
        assertThat(users.find(other).orElseThrow().username()).isEqualTo("other");
    }

    @Test
    @DisplayName("bad values, no roles and a bad actor are refused with a clear error that echoes no value")
    void badInputIsRefused() {
        assertThatThrownBy(() -> directory.upsert(ACTOR, doctor("g", "grace@hospital.example", "Grace")))
                .isInstanceOf(BadRequestException.class).hasMessageStartingWith("username must be");
        assertThatThrownBy(() -> directory.upsert(ACTOR, doctor("grace", "not-an-address", "Grace")))
                .isInstanceOf(BadRequestException.class).hasMessageNotContaining("not-an-address");
        assertThatThrownBy(() -> directory.upsert(ACTOR, doctor("grace", "grace@hospital.example", " ")))
                .isInstanceOf(BadRequestException.class).hasMessageStartingWith("displayName must be");
        assertThatThrownBy(() -> directory.upsert(ACTOR, new DirectoryUser(SUBJECT, "grace",
                        "grace@hospital.example", "Grace", Set.of())))
                .isInstanceOf(BadRequestException.class).hasMessage("a user holds at least one role");
        assertThatThrownBy(() -> directory.upsert("Dr Grace's laptop", grace()))
                .isInstanceOf(BadRequestException.class).hasMessageStartingWith("actor must be");
        assertThatThrownBy(() -> directory.deactivate("", SUBJECT)).isInstanceOf(BadRequestException.class);
        assertThat(users.find(SUBJECT)).isEmpty();
        assertThat(events("directory.upsert")).hasSize(4)
                .allSatisfy(e -> assertThat(e.reason()).isEqualTo("invalid"));
    }

    @Test
    @DisplayName("update, deactivate and reactivate of an unknown user are not found")
    void unknownUserIsNotFound() {
        assertThatThrownBy(() -> directory.update(ACTOR, grace())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> directory.deactivate(ACTOR, SUBJECT)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> directory.reactivate(ACTOR, SUBJECT)).isInstanceOf(NotFoundException.class);
        assertThat(users.count()).isZero();
    }

    @Test
    @DisplayName("upserts of one absent user at once create it once, and each returns it")
    void concurrentUpsertsCreateOnce() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<User>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return directory.upsert(ACTOR, grace());
                }));
            }
            start.countDown();
            for (Future<User> result : results) {
                assertThat(result.get(30, TimeUnit.SECONDS).id()).isEqualTo(SUBJECT);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(users.count()).isEqualTo(1);
        assertThat(events("directory.create")).singleElement()
                .satisfies(e -> assertThat(e.outcome()).isEqualTo(AuditEvent.Outcome.SUCCESS));
    }

    /** The in-memory sink, which a test can make fail. */
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
}
