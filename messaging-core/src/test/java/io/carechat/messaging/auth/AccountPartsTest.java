package io.carechat.messaging.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.error.ForbiddenException;
import io.carechat.messaging.error.RateLimitedException;
import io.carechat.messaging.error.UnauthenticatedException;
import io.carechat.messaging.event.SessionsRevoked;
import io.carechat.messaging.memory.InMemoryAuditSink;
import io.carechat.messaging.memory.InMemoryStorage;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.RoleRequest;
import io.carechat.messaging.model.User;
import io.carechat.messaging.spi.AuditEvent;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The three parts of {@link Accounts} used on their own: sessions, role requests and user
 * administration work together on one store, one throttle and one audit trail.
 */
@DisplayName("Accounts in three parts")
class AccountPartsTest {
    private static final String PASSWORD = "a long enough passphrase";
    private static final ClientContext CLIENT = ClientContext.fromAddress("192.0.2.10");

    private final TestClock clock = new TestClock();
    private final InMemoryStorage storage = new InMemoryStorage();
    private final InMemoryAuditSink audit = new InMemoryAuditSink();
    private final RecordingEventBus bus = new RecordingEventBus();
    private final AccessTokens tokens = AccessTokens.create(TokenSettings.builder()
            .issuer(TokenForge.ISSUER).audience(TokenForge.AUDIENCE).rsaKey("rsa-1", TokenForge.RSA).build(),
            audit, clock, TokenRevocations.create(storage.users(), bus));
    private final Accounts accounts = Accounts.builder()
            .users(storage.users()).roleRequests(storage.roleRequests()).refreshTokens(storage.refreshTokens())
            .auditSink(audit).eventBus(bus).accessTokens(tokens).clock(clock)
            .passwordHasher(PasswordHasher.argon2id(64, 1, 1))
            .loginThrottle(new LoginThrottle.Settings(2, 20, 20, Duration.ofSeconds(1), Duration.ofMinutes(15),
                    Duration.ofMinutes(1), Duration.ofMinutes(15)))
            .build();

    private Caller login(String name) {
        return tokens.verify(accounts.sessions().login(name, PASSWORD, CLIENT).accessToken());
    }

    @Test
    @DisplayName("a patient registered by user admin logs in through sessions, asks for a role, and an admin's"
            + " approval revokes the patient's sessions")
    void partsWorkTogether() {
        accounts.userAdmin().createAdmin(new Registration("root", "root@hospital.test", PASSWORD, "Admin"));
        User sam = accounts.userAdmin().register(new Registration("sam", "sam@example.org", PASSWORD, "Sam"), CLIENT);
        Caller patient = login("sam");
        Caller admin = login("root");

        RoleRequest request = accounts.roleRequests().requestRole(patient, Role.DOCTOR, "I work here");
        accounts.roleRequests().approve(admin, request.id());

        assertThat(accounts.sessions().me(patient).roles()).containsExactlyInAnyOrder(Role.PATIENT, Role.DOCTOR);
        assertThat(bus.published(SessionsRevoked.class)).containsExactly(
                new SessionsRevoked(sam.id(), SessionsRevoked.Reason.ROLES_CHANGED));
        assertThat(audit.events()).extracting(AuditEvent::action).containsSubsequence(
                "account.create_admin", "account.register", "auth.login", "auth.login", "role.request", "role.approve");
    }

    @Test
    @DisplayName("the front and the sessions part share one login throttle")
    void oneThrottle() {
        accounts.userAdmin().register(new Registration("sam", "sam@example.org", PASSWORD, "Sam"), CLIENT);
        assertThatThrownBy(() -> accounts.login("sam", "not the passphrase", CLIENT))
                .isInstanceOf(UnauthenticatedException.class);
        assertThatThrownBy(() -> accounts.sessions().login("sam", "not the passphrase", CLIENT))
                .isInstanceOf(UnauthenticatedException.class);

        assertThatThrownBy(() -> accounts.login("sam", PASSWORD, CLIENT)).isInstanceOf(RateLimitedException.class);
    }

    @Test
    @DisplayName("user admin and role requests refuse a caller who is not a stored admin, and audit the refusal")
    void adminCheckShared() {
        accounts.userAdmin().register(new Registration("sam", "sam@example.org", PASSWORD, "Sam"), CLIENT);
        Caller pretender = new Caller(login("sam").userId(), Set.of(Role.ADMIN), null, null);

        assertThatThrownBy(() -> accounts.userAdmin().listUsers(pretender, null, 10))
                .isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> accounts.roleRequests().pendingRoleRequests(pretender, 10))
                .isInstanceOf(ForbiddenException.class);
        assertThat(audit.events()).filteredOn(e -> "not_admin".equals(e.reason()))
                .extracting(AuditEvent::action).containsExactly("account.list", "role.list");
    }
}
