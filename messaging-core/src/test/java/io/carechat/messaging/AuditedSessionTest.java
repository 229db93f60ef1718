package io.carechat.messaging;

import io.carechat.messaging.crypto.StaticKeyProvider;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.auth.ClientContext;
import io.carechat.messaging.auth.PasswordHasher;
import io.carechat.messaging.auth.Registration;
import io.carechat.messaging.auth.SessionTokens;
import io.carechat.messaging.auth.TokenSettings;
import io.carechat.messaging.memory.InMemoryAuditSink;
import io.carechat.messaging.memory.InMemoryEventBus;
import io.carechat.messaging.memory.InMemoryRefreshTokenStore;
import io.carechat.messaging.memory.InMemoryStorage;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.AuditEvent.Outcome;
import io.carechat.messaging.spi.ChainVerification;
import java.security.SecureRandom;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A scripted session through the facade, and the exact audit trail it leaves. */
@DisplayName("A scripted session leaves exactly the expected audit trail")
class AuditedSessionTest {
    private static final ClientContext CLIENT = new ClientContext("198.51.100.9", "web", "req-1");
    private static final String PASSWORD = "correct horse battery staple 42";

    private final InMemoryStorage storage = new InMemoryStorage();
    private final InMemoryEventBus bus = new InMemoryEventBus();
    private final InMemoryAuditSink audit = new InMemoryAuditSink();
    private final MutableClock clock = new MutableClock(Clinic.START);
    private final Messaging messaging = Messaging.builder()
            .storage(storage).eventBus(bus).clock(clock).auditSink(audit).keyProvider(StaticKeyProvider.generate("k1"))
            .tokens(TokenSettings.builder().issuer("https://carechat.test").audience("carechat")
                    .hmacSecret("hs-1", secret()).build())
            .refreshTokens(new InMemoryRefreshTokenStore())
            .passwordHasher(PasswordHasher.argon2id(64, 1, 1))
            .build();

    private static byte[] secret() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return secret;
    }

    /** The parts of an event a script can predict. */
    private record Seen(String action, Outcome outcome, @Nullable UserId actor, @Nullable String objectType,
            @Nullable String objectId, @Nullable UserId patient) {
        static Seen of(AuditEvent e) {
            return new Seen(e.action(), e.outcome(), e.actorId(), e.objectType(), e.objectId(), e.patientId());
        }
    }

    @AfterEach
    void close() {
        messaging.close();
        bus.close();
    }

    @Test
    @DisplayName("register, login, open, send, read, a bad token and a stranger's read are each recorded once, in order, and the chain verifies")
    void scriptedSession() {
        User doctor = storage.users().create(new User(UserId.random(), "house", "house@hospital.example",
                "Dr House", Set.of(Role.DOCTOR), true, clock.instant()), "placeholder-hash");
        User stranger = storage.users().create(new User(UserId.random(), "other", "other@example.org",
                "Other", Set.of(Role.PATIENT), true, clock.instant()), "placeholder-hash");
        User admin = storage.users().create(new User(UserId.random(), "root", "root@hospital.example",
                "Root", Set.of(Role.ADMIN), true, clock.instant()), "placeholder-hash");

        User patient = messaging.accounts().register(
                new Registration("pat", "pat@example.org", PASSWORD, "Pat Patient"), CLIENT);
        SessionTokens session = messaging.accounts().login("pat", PASSWORD, CLIENT);
        Caller caller = messaging.tokens().verify(session.accessToken(), CLIENT);
        Conversation chat = messaging.openDirect(caller, doctor.id());
        messaging.send(caller, SendRequest.text(chat.id(), "m-1", "my results"));
        messaging.history(Caller.of(doctor), chat.id(), null, null);
        assertThatThrownBy(() -> messaging.tokens().verify("not-a-token", CLIENT))
                .isInstanceOf(UnauthenticatedException.class);
        assertThatThrownBy(() -> messaging.history(Caller.of(stranger), chat.id(), null, null))
                .isInstanceOf(NotFoundException.class);
        ChainVerification verification = messaging.verifyAudit(Caller.of(admin));

        String c = chat.id().value();
        assertThat(audit.events()).map(Seen::of).containsExactly(
                new Seen("account.register", Outcome.SUCCESS, patient.id(), "user", patient.id().value(), patient.id()),
                new Seen("auth.login", Outcome.SUCCESS, patient.id(), "user", patient.id().value(), null),
                new Seen("conversation.open", Outcome.SUCCESS, patient.id(), "conversation", c, patient.id()),
                new Seen("message.send", Outcome.SUCCESS, patient.id(), "conversation", c, patient.id()),
                new Seen("message.read", Outcome.SUCCESS, doctor.id(), "conversation", c, patient.id()),
                new Seen("token.rejected", Outcome.FAILURE, null, null, null, null),
                new Seen("authz.denied", Outcome.FAILURE, stranger.id(), "conversation", c, null),
                new Seen("audit.verify", Outcome.SUCCESS, admin.id(), "audit_trail", "chain", null));
        assertThat(verification).as("the verify call is recorded before it walks the chain").isEqualTo(ChainVerification.intact(8));
        assertThat(audit.events()).allSatisfy(e -> assertThat(e.time()).isEqualTo(Clinic.START));
        assertThat(audit.events().get(3).actorRoles()).containsExactly(Role.PATIENT);
        assertThat(audit.events().get(3).clientAddress()).isEqualTo(CLIENT.address());
    }
}
