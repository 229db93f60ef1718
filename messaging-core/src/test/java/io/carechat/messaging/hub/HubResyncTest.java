package io.carechat.messaging.hub;

import static io.carechat.messaging.hub.HubFixture.ANN;
import static io.carechat.messaging.hub.HubFixture.BEN;
import static io.carechat.messaging.hub.HubFixture.DOCTOR;
import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.event.MessageCommitted;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.Messaging;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.model.SendRequest;
import io.carechat.messaging.event.Resync;
import io.carechat.messaging.hub.HubFixture.Client;
import io.carechat.messaging.memory.InMemoryAuditSink;
import io.carechat.messaging.memory.InMemoryEventBus;
import io.carechat.messaging.protocol.ClientFrame;
import io.carechat.messaging.protocol.ServerFrame;
import io.carechat.messaging.error.IntegrityException;
import io.carechat.messaging.error.UnavailableException;
import io.carechat.messaging.spi.ConversationStore;
import io.carechat.messaging.spi.ForwardingStorage;
import io.carechat.messaging.spi.MessageStore;
import io.carechat.messaging.spi.MessagingStorage;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * How the hub catches live sessions up when the bus says it may have lost events. Messages are
 * stored behind the bus's back (straight into the store), as when a notification from another node
 * was lost.
 */
@DisplayName("Hub catch-up on a Resync")
class HubResyncTest {
    private final HubFixture fixture = new HubFixture();

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private ConversationId conversation() {
        return fixture.messaging.openDirect(fixture.caller(DOCTOR), ANN).id();
    }

    /**
     * Stores a message from the doctor without this node hearing of it, as if its notification was
     * lost: sent through a second facade on the same storage and keys whose bus nobody listens to.
     */
    private Message storeUnannounced(ConversationId conversation, String clientMsgId) {
        return storeUnannounced(fixture, conversation, clientMsgId);
    }

    private static Message storeUnannounced(HubFixture on, ConversationId conversation, String clientMsgId) {
        try (InMemoryEventBus elsewhere = new InMemoryEventBus();
                Messaging otherNode = Messaging.builder().storage(on.storage).eventBus(elsewhere)
                        .clock(on.clock).auditSink(new InMemoryAuditSink()).keyProvider(on.keys).build()) {
            return otherNode.send(on.caller(DOCTOR), SendRequest.text(conversation, clientMsgId, "body of " + clientMsgId));
        }
    }

    /** Publishes a stored message's commit on the node's bus, as its notification would. */
    private static void announce(HubFixture on, Message message) {
        on.bus.publish(MessageCommitted.of(message.id(), message.conversationId(), message.seq(), List.of(DOCTOR, ANN)));
    }

    private static List<Long> seqs(Client client) {
        return client.connection().frames(ServerFrame.Message.class).stream().map(m -> m.message().seq()).toList();
    }

    @Test
    @DisplayName("a resync pushes a live member the messages it missed, in seq order, and nothing to a non-member")
    void missedMessagesArrive() {
        ConversationId conversation = conversation();
        Client ann = fixture.connect(ANN);
        Client ben = fixture.connect(BEN);
        fixture.messaging.send(fixture.caller(DOCTOR), SendRequest.text(conversation, "m-1", "live"));
        ann.sendFrame(new ClientFrame.Delivered(null, conversation, 1));
        storeUnannounced(conversation, "m-2");
        storeUnannounced(conversation, "m-3");
        assertThat(seqs(ann)).containsExactly(1L);

        fixture.bus.publish(new Resync());

        assertThat(seqs(ann)).containsExactly(1L, 2L, 3L);
        assertThat(ann.connection().frames(ServerFrame.Message.class).get(2).message().body())
                .isEqualTo("body of m-3");
        assertThat(seqs(ben)).isEmpty();
    }

    @Test
    @DisplayName("a resync does not push again what the socket was sent, acknowledged or not, nor its own sends")
    void nothingComesTwice() {
        ConversationId conversation = conversation();
        Client ann = fixture.connect(ANN);
        ann.sendFrame(new ClientFrame.Send("s1", conversation, "a-1", "from ann", Priority.NORMAL, List.of()));
        fixture.messaging.send(fixture.caller(DOCTOR), SendRequest.text(conversation, "m-2", "from the doctor"));
        assertThat(seqs(ann)).containsExactly(2L);

        fixture.bus.publish(new Resync());

        assertThat(seqs(ann)).containsExactly(2L);
        assertThat(ann.connection().frames(ServerFrame.Sent.class)).hasSize(1);
    }

    @Test
    @DisplayName("a message the bus brings before the one it follows waits for it: the socket gets both in seq order, and a copy it has is dropped")
    void outOfOrderEventsAreReordered() {
        ConversationId conversation = conversation();
        Client ann = fixture.connect(ANN);
        Message first = storeUnannounced(conversation, "m-1");
        Message second = storeUnannounced(conversation, "m-2");

        announce(fixture, second);
        assertThat(seqs(ann)).as("seq 2 waits for seq 1").isEmpty();
        announce(fixture, first);
        assertThat(seqs(ann)).containsExactly(1L, 2L);

        announce(fixture, second);
        assertThat(seqs(ann)).as("a copy the socket has is dropped").containsExactly(1L, 2L);
        fixture.messaging.send(fixture.caller(DOCTOR), SendRequest.text(conversation, "m-3", "live"));
        assertThat(seqs(ann)).as("the session is live again").containsExactly(1L, 2L, 3L);
    }

    @Test
    @DisplayName("a gap the bus does not fill within gapWait is read from the store; pushes held behind it follow in order")
    void gapIsFilledFromTheStore() {
        HubSettings settings = HubSettings.builder().timerInterval(Duration.ofHours(1)).gapWait(Duration.ofSeconds(2))
                .build();
        try (HubFixture held = new HubFixture(settings, Runnable::run)) {
            ConversationId conversation = held.messaging.openDirect(held.caller(DOCTOR), ANN).id();
            Client ann = held.connect(ANN);
            storeUnannounced(held, conversation, "m-1");
            announce(held, storeUnannounced(held, conversation, "m-2"));
            held.messaging.send(held.caller(DOCTOR), SendRequest.text(conversation, "m-3", "live behind the gap"));

            held.clock.advance(Duration.ofSeconds(1));
            held.hub.checkDeadlines();
            assertThat(seqs(ann)).as("within gapWait the missing one may still come from the bus").isEmpty();
            held.clock.advance(Duration.ofSeconds(1));
            held.hub.checkDeadlines();
            assertThat(seqs(ann)).containsExactly(1L, 2L, 3L);

            held.messaging.send(held.caller(DOCTOR), SendRequest.text(conversation, "m-4", "live"));
            assertThat(seqs(ann)).as("the session is live again").containsExactly(1L, 2L, 3L, 4L);
        }
    }

    @Test
    @DisplayName("a gap no catch-up can fill holds pushes back for a bounded time: after two catch-ups what waits goes out")
    void unfillableGapIsBounded() {
        AtomicBoolean hidden = new AtomicBoolean();
        HubSettings settings = HubSettings.builder().timerInterval(Duration.ofHours(1)).gapWait(Duration.ofSeconds(1))
                .build();
        try (HubFixture held = new HubFixture(settings, Runnable::run, real -> listingEmptyWhile(real, hidden))) {
            ConversationId conversation = held.messaging.openDirect(held.caller(DOCTOR), ANN).id();
            Client ann = held.connect(ANN);
            storeUnannounced(held, conversation, "m-1");
            hidden.set(true);
            announce(held, storeUnannounced(held, conversation, "m-2"));

            for (int catchUps = 0; catchUps < 2; catchUps++) {
                held.clock.advance(Duration.ofSeconds(1));
                held.hub.checkDeadlines();
                assertThat(seqs(ann)).as("after catch-up %d the gap is still open", catchUps + 1).isEmpty();
            }
            held.clock.advance(Duration.ofSeconds(1));
            held.hub.checkDeadlines();
            assertThat(seqs(ann)).containsExactly(2L);

            held.messaging.send(held.caller(DOCTOR), SendRequest.text(conversation, "m-3", "live"));
            assertThat(seqs(ann)).as("the session is live again").containsExactly(2L, 3L);
        }
    }

    @Test
    @DisplayName("a gap whose catch-up fails for good (a message that cannot be opened) holds pushes back for a bounded time only")
    void catchUpThatCannotRecoverDoesNotHoldForEver() {
        AtomicBoolean broken = new AtomicBoolean();
        HubSettings settings = HubSettings.builder().timerInterval(Duration.ofHours(1)).gapWait(Duration.ofSeconds(1))
                .catchUpRetry(Duration.ofMinutes(10)).build();
        try (HubFixture held = new HubFixture(settings, Runnable::run, real -> listingFailsWhile(real, broken,
                () -> new IntegrityException("a stored message failed its integrity check in this test", null)))) {
            ConversationId conversation = held.messaging.openDirect(held.caller(DOCTOR), ANN).id();
            Client ann = held.connect(ANN);
            storeUnannounced(held, conversation, "m-1");
            broken.set(true);
            announce(held, storeUnannounced(held, conversation, "m-2"));

            for (int tick = 1; tick <= 3; tick++) {
                held.clock.advance(Duration.ofSeconds(1));
                held.hub.checkDeadlines();
            }
            assertThat(seqs(ann)).as("sent after the catch-ups failed, long before the retry is due").containsExactly(2L);
        }
    }

    @Test
    @DisplayName("a gap whose catch-up failed for want of storage waits for the retry: order is kept through an outage")
    void catchUpThatMayRecoverKeepsHolding() {
        AtomicBoolean down = new AtomicBoolean();
        HubSettings settings = HubSettings.builder().timerInterval(Duration.ofHours(1)).gapWait(Duration.ofSeconds(1))
                .catchUpRetry(Duration.ofSeconds(30)).build();
        try (HubFixture held = new HubFixture(settings, Runnable::run, real -> listingFailsWhile(real, down))) {
            ConversationId conversation = held.messaging.openDirect(held.caller(DOCTOR), ANN).id();
            Client ann = held.connect(ANN);
            storeUnannounced(held, conversation, "m-1");
            down.set(true);
            announce(held, storeUnannounced(held, conversation, "m-2"));

            for (int tick = 1; tick <= 10; tick++) {
                held.clock.advance(Duration.ofSeconds(1));
                held.hub.checkDeadlines();
            }
            assertThat(seqs(ann)).as("held while the retry may still fill the gap").isEmpty();
            down.set(false);
            held.clock.advance(Duration.ofSeconds(30));
            held.hub.checkDeadlines();
            assertThat(seqs(ann)).containsExactly(1L, 2L);
        }
    }

    @Test
    @DisplayName("a catch-up sends a recalled message the socket has again, as its tombstone: a recall missed by the bus is made up")
    void catchUpMakesUpAMissedRecall() {
        ConversationId conversation = conversation();
        Client ann = fixture.connect(ANN);
        fixture.messaging.send(fixture.caller(DOCTOR), SendRequest.text(conversation, "m-1", "wrong chart"));
        assertThat(seqs(ann)).containsExactly(1L);
        try (InMemoryEventBus elsewhere = new InMemoryEventBus();
                Messaging otherNode = Messaging.builder().storage(fixture.storage).eventBus(elsewhere)
                        .clock(fixture.clock).auditSink(new InMemoryAuditSink()).keyProvider(fixture.keys).build()) {
            otherNode.recall(fixture.caller(DOCTOR), conversation, 1, "wrong chart");
        }

        fixture.bus.publish(new Resync());

        assertThat(ann.connection().frames(ServerFrame.Message.class)).extracting(m -> m.message().recalled())
                .containsExactly(false, true);
    }

    @Test
    @DisplayName("a repeated send of a message whose announcement was lost announces it: members get it without a catch-up")
    void repeatAnnouncesALostCommit() {
        ConversationId conversation = conversation();
        Client ann = fixture.connect(ANN);
        Message stored = storeUnannounced(conversation, "m-1");
        assertThat(seqs(ann)).isEmpty();

        Message repeat = fixture.messaging.send(fixture.caller(DOCTOR),
                SendRequest.text(conversation, "m-1", "body of m-1"));

        assertThat(repeat.id()).isEqualTo(stored.id());
        assertThat(seqs(ann)).containsExactly(1L);
        fixture.messaging.send(fixture.caller(DOCTOR), SendRequest.text(conversation, "m-1", "body of m-1"));
        assertThat(seqs(ann)).as("another repeat brings no copy").containsExactly(1L);
    }

    @Test
    @DisplayName("after a resync the session stays live: later messages still arrive once")
    void staysLive() {
        ConversationId conversation = conversation();
        Client ann = fixture.connect(ANN);
        storeUnannounced(conversation, "m-1");
        fixture.bus.publish(new Resync());
        ann.sendFrame(new ClientFrame.Delivered(null, conversation, 1));

        fixture.messaging.send(fixture.caller(DOCTOR), SendRequest.text(conversation, "m-2", "later"));

        assertThat(seqs(ann)).containsExactly(1L, 2L);
        assertThat(ann.connection().isClosed()).isFalse();
    }

    @Test
    @DisplayName("resyncs that come while a catch-up still waits join it: one catch-up, so a flapping bus cannot stack them in front of requests")
    void waitingCatchUpsAreJoined() {
        QueueExecutor workers = new QueueExecutor();
        try (HubFixture held = new HubFixture(HubSettings.builder().timerInterval(Duration.ofHours(1)).build(), workers)) {
            ConversationId conversation = held.messaging.openDirect(held.caller(DOCTOR), ANN).id();
            Client ann = held.connect(ANN);
            workers.runAll();
            held.messaging.send(held.caller(DOCTOR), SendRequest.text(conversation, "m-1", "first"));
            workers.runAll();
            int before = workers.queued();

            for (int i = 0; i < 5; i++) {
                held.bus.publish(new Resync());
            }
            assertThat(workers.queued() - before).as("catch-ups queued for five resyncs").isEqualTo(1);
            workers.runAll();
            held.bus.publish(new Resync());
            assertThat(workers.queued()).as("a resync after the catch-up ran queues a new one").isEqualTo(1);
            workers.runAll();

            assertThat(seqs(ann)).as("the live copy only: a catch-up sends nothing the socket has").containsExactly(1L);
        }
    }

    @Test
    @DisplayName("live messages that come while a catch-up waits are held behind it: the socket gets each conversation in seq order, once")
    void liveMessagesWaitBehindTheCatchUp() {
        QueueExecutor workers = new QueueExecutor();
        try (HubFixture held = new HubFixture(HubSettings.builder().timerInterval(Duration.ofHours(1)).build(), workers)) {
            ConversationId conversation = held.messaging.openDirect(held.caller(DOCTOR), ANN).id();
            Client ann = held.connect(ANN);
            workers.runAll();
            try (InMemoryEventBus elsewhere = new InMemoryEventBus();
                    Messaging otherNode = Messaging.builder().storage(held.storage).eventBus(elsewhere)
                            .clock(held.clock).auditSink(new InMemoryAuditSink()).keyProvider(held.keys).build()) {
                otherNode.send(held.caller(DOCTOR), SendRequest.text(conversation, "m-1", "missed by the bus"));
            }

            held.bus.publish(new Resync());
            held.messaging.send(held.caller(DOCTOR), SendRequest.text(conversation, "m-2", "live after the resync"));
            assertThat(seqs(ann)).as("the live message waits for the catch-up").isEmpty();
            workers.runAll();

            assertThat(seqs(ann)).containsExactly(1L, 2L);
            held.messaging.send(held.caller(DOCTOR), SendRequest.text(conversation, "m-3", "live again"));
            workers.runAll();
            assertThat(seqs(ann)).as("after the catch-up the session is live").containsExactly(1L, 2L, 3L);
        }
    }

    @Test
    @DisplayName("a resync during a catch-up keeps live messages held until the next catch-up has read what the bus missed meanwhile")
    void resyncDuringACatchUpKeepsHolding() {
        QueueExecutor workers = new QueueExecutor();
        AtomicReference<Runnable> afterBacklogRead = new AtomicReference<>();
        try (HubFixture held = new HubFixture(HubSettings.builder().timerInterval(Duration.ofHours(1)).build(), workers,
                real -> backlogReadsThen(real, afterBacklogRead))) {
            ConversationId conversation = held.messaging.openDirect(held.caller(DOCTOR), ANN).id();
            Client ann = held.connect(ANN);
            workers.runAll();
            try (InMemoryEventBus elsewhere = new InMemoryEventBus();
                    Messaging otherNode = Messaging.builder().storage(held.storage).eventBus(elsewhere)
                            .clock(held.clock).auditSink(new InMemoryAuditSink()).keyProvider(held.keys).build()) {
                otherNode.send(held.caller(DOCTOR), SendRequest.text(conversation, "m-1", "missed before the first resync"));
                // just after the first catch-up read the backlog the bus is lost again, and m-2 with it;
                // then m-3 comes live, before the second catch-up has run
                afterBacklogRead.set(() -> {
                    otherNode.send(held.caller(DOCTOR), SendRequest.text(conversation, "m-2", "missed during the catch-up"));
                    held.bus.publish(new Resync());
                    held.messaging.send(held.caller(DOCTOR), SendRequest.text(conversation, "m-3", "live"));
                });
                held.bus.publish(new Resync());
                workers.runAll();
            }

            assertThat(seqs(ann).stream().distinct().toList()).as("each seq first reaches the socket in order")
                    .containsExactly(1L, 2L, 3L);
        }
    }

    /** The storage, running a one-off task right after a backlog read (the read itself unchanged). */
    private static MessagingStorage backlogReadsThen(MessagingStorage real, AtomicReference<Runnable> task) {
        MessageStore store = real.messages();
        MessageStore hooked = (MessageStore) Proxy.newProxyInstance(MessageStore.class.getClassLoader(),
                new Class<?>[] {MessageStore.class}, (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (method.getName().equals("after")) {
                        Runnable once = task.getAndSet(null);
                        if (once != null) {
                            once.run();
                        }
                    }
                    return result;
                });
        return new ForwardingStorage(real) {
            @Override
            public MessageStore messages() {
                return hooked;
            }
        };
    }

    @Test
    @DisplayName("a catch-up that fails for want of storage is tried again on the timer, with a wait that doubles, until it succeeds")
    void failedCatchUpIsRetried() {
        AtomicBoolean storageDown = new AtomicBoolean();
        HubSettings settings = HubSettings.builder().timerInterval(Duration.ofHours(1))
                .catchUpRetry(Duration.ofSeconds(2)).build();
        try (HubFixture held = new HubFixture(settings, Runnable::run, real -> listingFailsWhile(real, storageDown))) {
            ConversationId conversation = held.messaging.openDirect(held.caller(DOCTOR), ANN).id();
            Client ann = held.connect(ANN);
            try (InMemoryEventBus elsewhere = new InMemoryEventBus();
                    Messaging otherNode = Messaging.builder().storage(held.storage).eventBus(elsewhere)
                            .clock(held.clock).auditSink(new InMemoryAuditSink()).keyProvider(held.keys).build()) {
                otherNode.send(held.caller(DOCTOR), SendRequest.text(conversation, "m-1", "unannounced"));
            }

            storageDown.set(true);
            held.bus.publish(new Resync());
            held.clock.advance(Duration.ofSeconds(2));
            held.hub.checkDeadlines();
            assertThat(seqs(ann)).as("while storage is down, the first retry fails too").isEmpty();

            storageDown.set(false);
            held.clock.advance(Duration.ofSeconds(3));
            held.hub.checkDeadlines();
            assertThat(seqs(ann)).as("the second wait (4 s) is not over yet").isEmpty();
            held.clock.advance(Duration.ofSeconds(1));
            held.hub.checkDeadlines();
            assertThat(seqs(ann)).as("after the second wait the catch-up succeeds").containsExactly(1L);

            held.clock.advance(Duration.ofMinutes(5));
            held.hub.checkDeadlines();
            assertThat(seqs(ann)).as("a catch-up that succeeded is not repeated").containsExactly(1L);
            assertThat(ann.connection().isClosed()).isFalse();
        }
    }

    /** The storage, listing no conversations while {@code hidden} is set, as if the member had left them. */
    private static MessagingStorage listingEmptyWhile(MessagingStorage real, AtomicBoolean hidden) {
        return listingWhile(real, hidden, List::of);
    }

    /** The storage, with a conversation store whose listing fails for want of storage while {@code down} is set. */
    private static MessagingStorage listingFailsWhile(MessagingStorage real, AtomicBoolean down) {
        return listingFailsWhile(real, down, () -> new UnavailableException("storage is down in this test"));
    }

    /** The storage, with a conversation store whose listing throws {@code failure}'s exception while {@code down} is set. */
    private static MessagingStorage listingFailsWhile(MessagingStorage real, AtomicBoolean down,
            Supplier<RuntimeException> failure) {
        return listingWhile(real, down, () -> {
            throw failure.get();
        });
    }

    /** The storage, with a conversation store whose listing gives what {@code listing} gives while {@code on} is set. */
    private static MessagingStorage listingWhile(MessagingStorage real, AtomicBoolean on, Supplier<List<?>> listing) {
        ConversationStore store = real.conversations();
        ConversationStore changed = (ConversationStore) Proxy.newProxyInstance(ConversationStore.class.getClassLoader(),
                new Class<?>[] {ConversationStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("listFor") && on.get()) {
                        return listing.get();
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return new ForwardingStorage(real) {
            @Override
            public ConversationStore conversations() {
                return changed;
            }
        };
    }
}
