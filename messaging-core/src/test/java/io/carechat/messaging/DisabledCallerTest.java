package io.carechat.messaging;

import static io.carechat.messaging.Clinic.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.auth.Accounts;
import io.carechat.messaging.auth.ClientContext;
import io.carechat.messaging.auth.PasswordHasher;
import io.carechat.messaging.auth.Registration;
import io.carechat.messaging.auth.TokenSettings;
import io.carechat.messaging.crypto.StaticKeyProvider;
import io.carechat.messaging.error.ForbiddenException;
import io.carechat.messaging.error.UnauthenticatedException;
import io.carechat.messaging.event.SessionsRevoked;
import io.carechat.messaging.memory.InMemoryAuditSink;
import io.carechat.messaging.memory.InMemoryEventBus;
import io.carechat.messaging.memory.InMemoryStorage;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.Presence;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.SendRequest;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A disabled or deleted user's writes are refused even while their access token is still valid. */
@DisplayName("Calls by a disabled or deleted caller")
class DisabledCallerTest {
    private static final ClientContext CLIENT = ClientContext.fromAddress("192.0.2.10");
    private static final String PASSWORD = "a long enough passphrase";

    @Test
    @DisplayName("after an admin disables a user, their token is refused at once, and a caller built from it no"
            + " longer sends, reads or types; enabled again, it does")
    void disabledThroughAccounts() {
        InMemoryEventBus bus = new InMemoryEventBus();
        try (Messaging messaging = Messaging.builder().storage(new InMemoryStorage()).eventBus(bus)
                .auditSink(new InMemoryAuditSink()).keyProvider(StaticKeyProvider.generate("k1")).passwordHasher(PasswordHasher.argon2id(64, 1, 1))
                .tokens(TokenSettings.builder().issuer("https://carechat.test").audience("carechat")
                        .hmacSecret("key-1", "a signing secret of thirty-two bytes or more".getBytes(StandardCharsets.UTF_8))
                        .build())
                .build()) {
            Accounts accounts = messaging.accounts();
            accounts.createAdmin(new Registration("root", "root@hospital.test", "the admin's passphrase", "Admin"));
            Caller admin = messaging.tokens().verify(accounts.login("root", "the admin's passphrase", CLIENT).accessToken());
            User doctor = accounts.register(new Registration("grey", "grey@hospital.test", PASSWORD, "Dr Grey"), CLIENT);
            accounts.setRoles(admin, doctor.id(), Set.of(Role.DOCTOR));
            User patient = accounts.register(new Registration("sam", "sam@example.org", PASSWORD, "Sam"), CLIENT);
            String token = accounts.login("sam", PASSWORD, CLIENT).accessToken();
            Caller sam = messaging.tokens().verify(token);
            Conversation chat = messaging.openDirect(sam, doctor.id());
            messaging.send(sam, SendRequest.text(chat.id(), "m1", "before"));

            accounts.disable(admin, patient.id());

            assertThatThrownBy(() -> messaging.tokens().verify(token)).as("the token itself is refused at once")
                    .isInstanceOf(UnauthenticatedException.class);
            assertThatThrownBy(() -> messaging.send(sam, SendRequest.text(chat.id(), "m2", "after")))
                    .isInstanceOf(ForbiddenException.class);
            assertThatThrownBy(() -> messaging.markRead(sam, chat.id(), 1)).isInstanceOf(ForbiddenException.class);
            assertThatThrownBy(() -> messaging.typing(sam, chat.id())).isInstanceOf(ForbiddenException.class);
            assertThatThrownBy(() -> messaging.setPresence(sam, Presence.BUSY)).isInstanceOf(ForbiddenException.class);
            assertThatThrownBy(() -> messaging.history(sam, chat.id(), null, null)).as("reads too")
                    .isInstanceOf(ForbiddenException.class);
            assertThatThrownBy(() -> messaging.unread(sam)).isInstanceOf(ForbiddenException.class);
            assertThatThrownBy(() -> messaging.conversations(sam)).isInstanceOf(ForbiddenException.class);

            accounts.enable(admin, patient.id());
            assertThat(messaging.send(sam, SendRequest.text(chat.id(), "m2", "after")).seq()).isEqualTo(2);
        } finally {
            bus.close();
        }
    }

    @Test
    @DisplayName("a user disabled directly in the store, without an event, is refused at the latest 30 seconds later")
    void disabledInTheStore() {
        try (Clinic c = new Clinic()) {
            Conversation chat = c.doctorAndPatient();
            c.messaging.send(as(c.patient), SendRequest.text(chat.id(), "m1", "hello"));
            c.storage.users().setEnabled(c.patient.id(), false);
            c.clock.advance(Duration.ofSeconds(30));
            assertThatThrownBy(() -> c.messaging.send(as(c.patient), SendRequest.text(chat.id(), "m2", "again")))
                    .isInstanceOf(ForbiddenException.class).hasMessage("the caller's account is not active");
            assertThat(c.messaging.history(as(c.doctor), chat.id(), null, null).messages()).hasSize(1);
        }
    }

    @Test
    @DisplayName("a caller whose account does not exist is refused")
    void deletedAccount() {
        try (Clinic c = new Clinic()) {
            Conversation chat = c.doctorAndPatient();
            Caller ghost = Caller.of(UserId.random(), Set.of(Role.PATIENT));
            assertThatThrownBy(() -> c.messaging.send(ghost, SendRequest.text(chat.id(), "m1", "boo")))
                    .isInstanceOf(ForbiddenException.class);
            assertThatThrownBy(() -> c.messaging.setPresence(ghost, Presence.AWAY))
                    .isInstanceOf(ForbiddenException.class);
        }
    }

    @Test
    @DisplayName("the account is looked up once for many sends, and again after the user's sessions are revoked")
    void lookedUpOnceUntilRevoked() {
        CountingStorage storage = new CountingStorage(new InMemoryStorage());
        InMemoryEventBus bus = new InMemoryEventBus();
        User doctor = storage.users().create(new User(UserId.random(), "grey", "grey@hospital.test", "Dr Grey",
                Set.of(Role.DOCTOR), true, Clinic.START), "placeholder-hash");
        User patient = storage.users().create(new User(UserId.random(), "sam", "sam@example.org", "Sam",
                Set.of(Role.PATIENT), true, Clinic.START), "placeholder-hash");
        try (Messaging messaging = Messaging.builder().storage(storage).eventBus(bus).auditSink(new InMemoryAuditSink())
                .keyProvider(StaticKeyProvider.generate("k1")).build()) {
            Conversation chat = messaging.openDirect(as(doctor), patient.id());
            storage.reset();
            for (int i = 1; i <= 5; i++) {
                messaging.send(as(patient), SendRequest.text(chat.id(), "m" + i, "hello " + i));
            }
            assertThat(storage.count("users.find")).isEqualTo(1);

            bus.publish(new SessionsRevoked(patient.id(), SessionsRevoked.Reason.DISABLED));
            messaging.send(as(patient), SendRequest.text(chat.id(), "m6", "still enabled"));
            assertThat(storage.count("users.find")).isEqualTo(2);
        } finally {
            bus.close();
        }
    }
}
