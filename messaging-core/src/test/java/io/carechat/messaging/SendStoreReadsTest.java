package io.carechat.messaging;

import static io.carechat.messaging.Clinic.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.carechat.messaging.crypto.StaticKeyProvider;
import io.carechat.messaging.event.SessionsRevoked;
import io.carechat.messaging.memory.InMemoryAuditSink;
import io.carechat.messaging.memory.InMemoryEventBus;
import io.carechat.messaging.memory.InMemoryStorage;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.SendRequest;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AuditEvent;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A send costs no store read beyond its append: the members and the roles that address its event
 * and name its patient come from memory, which events keep coherent.
 */
@DisplayName("Store reads of a send")
class SendStoreReadsTest {
    private final CountingStorage storage = new CountingStorage(new InMemoryStorage());
    private final InMemoryEventBus bus = new InMemoryEventBus();
    private final InMemoryAuditSink audit = new InMemoryAuditSink();
    private Messaging messaging;
    private User doctor;
    private User patient;

    @BeforeEach
    void start() {
        doctor = storage.users().create(new User(UserId.random(), "grey", "grey@hospital.test", "Dr Grey",
                Set.of(Role.DOCTOR), true, Clinic.START), "placeholder-hash");
        patient = storage.users().create(new User(UserId.random(), "sam", "sam@example.org", "Sam",
                Set.of(Role.PATIENT), true, Clinic.START), "placeholder-hash");
        messaging = Messaging.builder().storage(storage).eventBus(bus).auditSink(audit)
                .keyProvider(StaticKeyProvider.generate("k1")).build();
    }

    @AfterEach
    void stop() {
        messaging.close();
        bus.close();
    }

    @Test
    @DisplayName("once both members have sent, sends read no members and no users from the store")
    void sendsReadNothingButTheAppend() {
        Conversation chat = messaging.openDirect(as(doctor), patient.id());
        messaging.send(as(patient), SendRequest.text(chat.id(), "m1", "first"));
        messaging.send(as(doctor), SendRequest.text(chat.id(), "m2", "answer"));
        storage.reset();

        for (int i = 3; i <= 21; i++) {
            messaging.send(as(i % 2 == 0 ? patient : doctor), SendRequest.text(chat.id(), "m" + i, "hello " + i));
        }

        assertThat(storage.counts()).as("store calls").containsOnly(entry("messages.append", 19));
        assertThat(sendEvents()).hasSize(21).allSatisfy(e -> assertThat(e.patientId()).isEqualTo(patient.id()));
    }

    @Test
    @DisplayName("a role change published on the bus is seen by the next send's audit event")
    void roleChangeOnTheBusReachesTheAuditEvent() {
        Conversation chat = messaging.openDirect(as(doctor), patient.id());
        messaging.send(as(doctor), SendRequest.text(chat.id(), "m1", "first"));
        storage.users().setRoles(patient.id(), Set.of(Role.DOCTOR));

        messaging.send(as(doctor), SendRequest.text(chat.id(), "m2", "before the event"));
        bus.publish(new SessionsRevoked(patient.id(), SessionsRevoked.Reason.ROLES_CHANGED));
        messaging.send(as(doctor), SendRequest.text(chat.id(), "m3", "after the event"));

        List<AuditEvent> sends = sendEvents();
        assertThat(sends.get(1).patientId()).as("remembered until the event").isEqualTo(patient.id());
        assertThat(sends.get(2).patientId()).as("after the event no member is a patient").isNull();
    }

    private List<AuditEvent> sendEvents() {
        return audit.events().stream().filter(e -> e.action().equals("message.send")).toList();
    }
}
