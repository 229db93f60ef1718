package io.carechat.messaging;

import io.carechat.messaging.crypto.StaticKeyProvider;
import io.carechat.messaging.event.MessagingEvent;
import io.carechat.messaging.memory.InMemoryAuditSink;
import io.carechat.messaging.memory.InMemoryEventBus;
import io.carechat.messaging.memory.InMemoryStorage;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.testing.MutableClock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * A small hospital for facade tests: in-memory storage and bus, a mutable clock, a recorder of
 * every event on the bus, and a doctor, a second doctor, a patient, a second patient and an admin.
 */
final class Clinic implements AutoCloseable {
    static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

    final InMemoryStorage storage = new InMemoryStorage();
    final InMemoryEventBus bus = new InMemoryEventBus();
    final MutableClock clock = new MutableClock(START);
    final List<MessagingEvent> events = new CopyOnWriteArrayList<>();
    final InMemoryAuditSink audit = new InMemoryAuditSink();
    final StaticKeyProvider keys = StaticKeyProvider.generate("k1");
    final Messaging messaging;

    final User doctor = user("house", "Dr House", Role.DOCTOR);
    final User otherDoctor = user("wilson", "Dr Wilson", Role.DOCTOR);
    final User patient = user("patient1", "Pat One", Role.PATIENT);
    final User otherPatient = user("patient2", "Pat Two", Role.PATIENT);
    final User admin = user("admin", "Admin", Role.ADMIN);

    Clinic() {
        this(UnaryOperator.identity());
    }

    Clinic(UnaryOperator<Messaging.Builder> configure) {
        bus.subscribe(events::add);
        messaging = configure.apply(Messaging.builder().storage(storage).eventBus(bus).clock(clock)
                .auditSink(audit).keyProvider(keys)).build();
    }

    User user(String username, String displayName, Role... roles) {
        return storage.users().create(new User(UserId.random(), username, username + "@hospital.example",
                displayName, Set.of(roles), true, clock.instant()), "placeholder-hash");
    }

    static Caller as(User user) {
        return Caller.of(user);
    }

    /** The doctor and the patient's direct conversation. */
    Conversation doctorAndPatient() {
        return messaging.openDirect(as(doctor), patient.id());
    }

    <T extends MessagingEvent> List<T> events(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Override
    public void close() {
        messaging.close();
        bus.close();
    }
}
