package io.carechat.messaging.hub;

import static io.carechat.messaging.hub.HubFixture.ANN;
import static io.carechat.messaging.hub.HubFixture.BEN;
import static io.carechat.messaging.hub.HubFixture.DOCTOR;
import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.Messaging;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.model.SendRequest;
import io.carechat.messaging.event.Resync;
import io.carechat.messaging.hub.HubFixture.Client;
import io.carechat.messaging.memory.InMemoryAuditSink;
import io.carechat.messaging.memory.InMemoryEventBus;
import io.carechat.messaging.protocol.ClientFrame;
import io.carechat.messaging.protocol.ServerFrame;
import java.time.Duration;
import java.util.List;
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
    private void storeUnannounced(ConversationId conversation, String clientMsgId) {
        try (InMemoryEventBus elsewhere = new InMemoryEventBus();
                Messaging otherNode = Messaging.builder().storage(fixture.storage).eventBus(elsewhere)
                        .clock(fixture.clock).auditSink(new InMemoryAuditSink()).keyProvider(fixture.keys).build()) {
            otherNode.send(fixture.caller(DOCTOR), SendRequest.text(conversation, clientMsgId, "body of " + clientMsgId));
        }
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
    @DisplayName("a resync pushes again what the client holds but has not acknowledged, but not the socket's own sends")
    void unacknowledgedComeAgain() {
        ConversationId conversation = conversation();
        Client ann = fixture.connect(ANN);
        ann.sendFrame(new ClientFrame.Send("s1", conversation, "a-1", "from ann", Priority.NORMAL, List.of()));
        fixture.messaging.send(fixture.caller(DOCTOR), SendRequest.text(conversation, "m-2", "from the doctor"));
        assertThat(seqs(ann)).containsExactly(2L);

        fixture.bus.publish(new Resync());

        assertThat(seqs(ann)).containsExactly(2L, 2L);
        assertThat(ann.connection().frames(ServerFrame.Sent.class)).hasSize(1);
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

            assertThat(seqs(ann)).as("the live copy, then one copy per catch-up that ran").containsExactly(1L, 1L, 1L);
        }
    }
}
