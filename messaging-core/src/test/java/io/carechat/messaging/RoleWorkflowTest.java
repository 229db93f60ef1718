package io.carechat.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.auth.Accounts;
import io.carechat.messaging.auth.ClientContext;
import io.carechat.messaging.auth.PasswordHasher;
import io.carechat.messaging.auth.Registration;
import io.carechat.messaging.auth.SessionTokens;
import io.carechat.messaging.auth.TokenSettings;
import io.carechat.messaging.crypto.StaticKeyProvider;
import io.carechat.messaging.error.BadRequestException;
import io.carechat.messaging.error.ConflictException;
import io.carechat.messaging.error.ForbiddenException;
import io.carechat.messaging.error.UnauthenticatedException;
import io.carechat.messaging.event.MessagingEvent;
import io.carechat.messaging.event.RoleRequested;
import io.carechat.messaging.event.SessionsRevoked;
import io.carechat.messaging.memory.InMemoryAuditSink;
import io.carechat.messaging.memory.InMemoryEventBus;
import io.carechat.messaging.memory.InMemoryStorage;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.RoleRequest;
import io.carechat.messaging.model.RoleRequestStatus;
import io.carechat.messaging.model.User;
import io.carechat.messaging.spi.AuditEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The role workflow end to end through {@link Messaging}, on the in-memory storage, bus and audit
 * sink, with CareChat's own accounts and tokens.
 */
@DisplayName("The role workflow through the facade")
class RoleWorkflowTest {
    private static final String PASSWORD = "a long enough passphrase";
    private static final String ADMIN_PASSWORD = "the admin's own passphrase";
    private static final ClientContext CLIENT = ClientContext.fromAddress("192.0.2.10");
    private static final byte[] SECRET = "a signing secret of thirty-two bytes or more".getBytes(StandardCharsets.UTF_8);

    private final InMemoryStorage storage = new InMemoryStorage();
    private final InMemoryEventBus bus = new InMemoryEventBus();
    private final InMemoryAuditSink audit = new InMemoryAuditSink();
    private final List<MessagingEvent> events = new CopyOnWriteArrayList<>();
    private Messaging messaging;
    private Accounts accounts;

    @BeforeEach
    void build() {
        messaging = Messaging.builder().storage(storage).eventBus(bus).auditSink(audit).keyProvider(StaticKeyProvider.generate("k1"))
                .passwordHasher(PasswordHasher.argon2id(64, 1, 1))
                .tokens(TokenSettings.builder().issuer("https://carechat.test").audience("carechat")
                        .hmacSecret("key-1", SECRET).build())
                .build();
        messaging.subscribe(events::add);
        accounts = messaging.accounts();
    }

    @AfterEach
    void close() {
        messaging.close();
        bus.close();
    }

    private User register(String username) {
        return accounts.register(
                new Registration(username, username + "@example.org", PASSWORD, "Patient " + username), CLIENT);
    }

    private Caller caller(SessionTokens session) {
        return messaging.tokens().verify(session.accessToken());
    }

    private Caller admin() {
        accounts.createAdmin(new Registration("root", "root@hospital.test", ADMIN_PASSWORD, "Admin"));
        return caller(accounts.login("root", ADMIN_PASSWORD, CLIENT));
    }

    private <T extends MessagingEvent> List<T> published(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private List<Role> storedRoles(Caller caller) {
        return List.copyOf(storage.users().find(caller.userId()).orElseThrow().roles());
    }

    @Test
    @DisplayName("a patient asks for DOCTOR, an admin is told and approves; the old refresh token dies, the new"
            + " token carries DOCTOR and the contacts become patients")
    void endToEnd() {
        User otherPatient = register("ada");
        register("pat");
        SessionTokens session = accounts.login("pat", PASSWORD, CLIENT);
        Caller patient = caller(session);
        Caller admin = admin();
        assertThat(messaging.contacts(patient)).extracting(c -> c.user().id()).doesNotContain(otherPatient.id());

        RoleRequest request = accounts.requestRole(patient, Role.DOCTOR, "Cardiology resident since March");
        assertThat(published(RoleRequested.class)).containsExactly(new RoleRequested(request));
        assertThat(accounts.pendingRoleRequests(admin, 10)).containsExactly(request);

        RoleRequest approved = accounts.approve(admin, request.id());
        assertThat(approved.status()).isEqualTo(RoleRequestStatus.APPROVED);
        assertThat(approved.decidedBy()).isEqualTo(admin.userId());
        assertThat(accounts.pendingRoleRequests(admin, 10)).isEmpty();
        assertThatThrownBy(() -> accounts.refresh(session.refreshToken(), CLIENT))
                .isExactlyInstanceOf(UnauthenticatedException.class);
        assertThat(published(SessionsRevoked.class))
                .containsExactly(new SessionsRevoked(patient.userId(), SessionsRevoked.Reason.ROLES_CHANGED));

        Caller doctor = caller(accounts.login("pat", PASSWORD, CLIENT));
        assertThat(doctor.roles()).containsExactlyInAnyOrder(Role.PATIENT, Role.DOCTOR);
        assertThat(messaging.contacts(doctor)).extracting(c -> c.user().id()).contains(otherPatient.id());
        assertThat(audit.events()).extracting(AuditEvent::action).contains("role.request", "role.list", "role.approve");
    }

    @Test
    @DisplayName("a denied request leaves the roles and the sessions as they were, and cannot be decided again")
    void deny() {
        Caller admin = admin();
        register("pat");
        SessionTokens session = accounts.login("pat", PASSWORD, CLIENT);
        Caller patient = caller(session);
        RoleRequest request = accounts.requestRole(patient, Role.DOCTOR, "please");
        assertThat(accounts.deny(admin, request.id()).status()).isEqualTo(RoleRequestStatus.DENIED);
        assertThat(storedRoles(patient)).containsExactly(Role.PATIENT);
        assertThatThrownBy(() -> accounts.approve(admin, request.id())).isInstanceOf(ConflictException.class);
        assertThat(published(SessionsRevoked.class)).isEmpty();
        assertThat(accounts.refresh(session.refreshToken(), CLIENT).user().id()).isEqualTo(patient.userId());
    }

    @Test
    @DisplayName("only DOCTOR can be requested, only by a patient, and once at a time")
    void requestRules() {
        Caller admin = admin();
        register("pat");
        Caller patient = caller(accounts.login("pat", PASSWORD, CLIENT));
        assertThatThrownBy(() -> accounts.requestRole(patient, Role.ADMIN, "")).isInstanceOf(BadRequestException.class);
        accounts.requestRole(patient, Role.DOCTOR, "first");
        assertThatThrownBy(() -> accounts.requestRole(patient, Role.DOCTOR, "second"))
                .isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> accounts.requestRole(admin, Role.DOCTOR, "me too"))
                .isInstanceOf(ForbiddenException.class);
        assertThat(published(RoleRequested.class)).hasSize(1);
    }

    @Test
    @DisplayName("a patient cannot approve their own request")
    void patientCannotApprove() {
        register("pat");
        Caller patient = caller(accounts.login("pat", PASSWORD, CLIENT));
        RoleRequest request = accounts.requestRole(patient, Role.DOCTOR, "trust me");
        assertThatThrownBy(() -> accounts.approve(patient, request.id())).isInstanceOf(ForbiddenException.class);
        assertThat(storedRoles(patient)).containsExactly(Role.PATIENT);
    }
}
