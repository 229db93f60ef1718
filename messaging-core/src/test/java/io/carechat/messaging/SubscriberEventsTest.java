package io.carechat.messaging;

import static io.carechat.messaging.Clinic.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.carechat.messaging.crypto.FieldCipher;
import io.carechat.messaging.crypto.StaticKeyProvider;
import io.carechat.messaging.error.UnavailableException;
import io.carechat.messaging.event.MessageCommitted;
import io.carechat.messaging.event.MessagingEvent;
import io.carechat.messaging.event.PresenceChanged;
import io.carechat.messaging.event.Resync;
import io.carechat.messaging.memory.InMemoryAuditSink;
import io.carechat.messaging.memory.InMemoryEventBus;
import io.carechat.messaging.memory.InMemoryStorage;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.MessageId;
import io.carechat.messaging.model.Presence;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.SendRequest;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.MessageStore;
import io.carechat.messaging.spi.MessagingStorage;
import io.carechat.messaging.spi.NewMessage;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What the facade hands its subscribers: the bus carries a committed message by its ids, and the
 * facade opens it, from what it just sent or else from the store, auditing a body that does not
 * open. Two facades on one in-memory bus and one store stand for two nodes: what one sends reaches
 * the other by ids only.
 */
@DisplayName("The facade's subscribers")
class SubscriberEventsTest {
    private static final StaticKeyProvider KEYS = StaticKeyProvider.generate("k1");

    private final InMemoryStorage shared = new InMemoryStorage();
    private final CountingStorage storage = new CountingStorage(shared);
    private final AtomicBoolean storeDown = new AtomicBoolean();
    private final InMemoryEventBus bus = new InMemoryEventBus();
    private final InMemoryAuditSink audit = new InMemoryAuditSink();
    private final List<MessagingEvent> onBus = new CopyOnWriteArrayList<>();
    private final List<MessagingEvent> received = new CopyOnWriteArrayList<>();
    private Messaging here;
    private Messaging there;
    private User doctor;
    private User patient;
    private Conversation chat;

    @BeforeEach
    void start() {
        doctor = shared.users().create(new User(UserId.random(), "grey", "grey@hospital.test", "Dr Grey",
                Set.of(Role.DOCTOR), true, Clinic.START), "placeholder-hash");
        patient = shared.users().create(new User(UserId.random(), "sam", "sam@example.org", "Sam",
                Set.of(Role.PATIENT), true, Clinic.START), "placeholder-hash");
        bus.subscribe(onBus::add);
        here = Messaging.builder().storage(failingWhenDown(storage)).eventBus(bus).auditSink(audit).keyProvider(KEYS)
                .build();
        there = Messaging.builder().storage(shared).eventBus(bus).auditSink(new InMemoryAuditSink()).keyProvider(KEYS)
                .build();
        chat = here.openDirect(as(doctor), patient.id());
        here.subscribe(received::add);
    }

    @AfterEach
    void stop() {
        here.close();
        there.close();
        bus.close();
    }

    /** The storage, whose message reads fail as an outage would while {@link #storeDown} is set. */
    private MessagingStorage failingWhenDown(MessagingStorage real) {
        MessageStore messages = (MessageStore) Proxy.newProxyInstance(MessageStore.class.getClassLoader(),
                new Class<?>[] {MessageStore.class}, (proxy, method, args) -> {
                    if (storeDown.get() && method.getName().equals("find")) {
                        throw new UnavailableException("storage is unavailable, retry later");
                    }
                    return invoke(method, real.messages(), args);
                });
        return (MessagingStorage) Proxy.newProxyInstance(MessagingStorage.class.getClassLoader(),
                new Class<?>[] {MessagingStorage.class},
                (proxy, method, args) -> method.getName().equals("messages") ? messages : invoke(method, real, args));
    }

    private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private List<MessageCommitted> receivedMessages() {
        return received.stream().filter(MessageCommitted.class::isInstance).map(MessageCommitted.class::cast).toList();
    }

    @Test
    @DisplayName("a message sent through this facade reaches its subscribers opened, with no store read beyond"
            + " the append, while the bus carries its ids only")
    void ownSendOpenedWithoutARead() {
        here.send(as(patient), SendRequest.text(chat.id(), "m0", "warm-up"));
        storage.reset();

        Message sent = here.send(as(patient), SendRequest.text(chat.id(), "m1", "my results?"));

        assertThat(receivedMessages()).last().satisfies(e -> {
            assertThat(e.message()).contains(sent);
            assertThat(e.memberIds()).containsExactlyInAnyOrder(doctor.id(), patient.id());
        });
        assertThat(storage.counts()).as("store calls").containsOnly(entry("messages.append", 1));
        assertThat(onBus).filteredOn(MessageCommitted.class::isInstance)
                .allSatisfy(e -> assertThat(((MessageCommitted) e).message()).isEmpty());
    }

    @Test
    @DisplayName("a message another node committed is read from the store and handed on opened")
    void otherNodesMessageReadAndOpened() {
        Message sent = there.send(as(doctor), SendRequest.text(chat.id(), "m1", "your results are fine"));

        assertThat(receivedMessages()).singleElement().satisfies(e -> {
            assertThat(e.message()).contains(sent);
            assertThat(e.message().orElseThrow().body()).isEqualTo("your results are fine");
        });
        assertThat(storage.count("messages.find")).isEqualTo(1);
    }

    @Test
    @DisplayName("a stored body that fails its integrity check, arriving by ids, is audited as integrity.failure"
            + " and not handed on")
    void tamperedBodyAuditedAndNotDelivered() {
        MessageId id = MessageId.random();
        String movedBody = new FieldCipher(KEYS).sealText("another message's text",
                FieldCipher.FieldContext.messageBody(new Message(MessageId.random(), chat.id(), 1, doctor.id(), "",
                        Priority.NORMAL, Clinic.START, "m0", List.of())));
        Message stored = shared.messages().append(new NewMessage(id, chat.id(), doctor.id(), "m1", movedBody,
                Priority.NORMAL, List.of(), Clinic.START)).message();

        bus.publish(MessageCommitted.of(id, chat.id(), stored.seq(), List.of(doctor.id(), patient.id())));
        PresenceChanged later = new PresenceChanged(doctor.id(), Presence.BUSY, "test-node");
        bus.publish(later);

        assertThat(receivedMessages()).isEmpty();
        assertThat(received).containsExactly(later);
        assertThat(audit.events()).filteredOn(e -> e.action().equals("integrity.failure")).singleElement()
                .satisfies(e -> {
                    assertThat(e.outcome()).isEqualTo(AuditEvent.Outcome.FAILURE);
                    assertThat(e.objectType()).isEqualTo("message");
                    assertThat(e.objectId()).isEqualTo(id.value());
                    assertThat(e.reason()).isEqualTo("decrypt_failed");
                });
    }

    @Test
    @DisplayName("a committed message the store cannot be read for becomes a Resync, and later events still arrive")
    void unreadableMessageBecomesResync() {
        storeDown.set(true);
        there.send(as(doctor), SendRequest.text(chat.id(), "m1", "lost on the way"));
        storeDown.set(false);
        Message after = there.send(as(doctor), SendRequest.text(chat.id(), "m2", "arrives"));

        assertThat(received).hasSize(2);
        assertThat(received.get(0)).isEqualTo(new Resync());
        assertThat(((MessageCommitted) received.get(1)).message()).contains(after);
    }

    @Test
    @DisplayName("with no subscriber, another node's message is not read at all")
    void nothingReadWithoutSubscribers() {
        here.close();
        Messaging quiet = Messaging.builder().storage(storage).eventBus(bus).auditSink(audit).keyProvider(KEYS).build();
        try {
            storage.reset();
            there.send(as(doctor), SendRequest.text(chat.id(), "m1", "nobody listens"));

            assertThat(storage.count("messages.find")).isZero();
        } finally {
            quiet.close();
        }
    }
}
