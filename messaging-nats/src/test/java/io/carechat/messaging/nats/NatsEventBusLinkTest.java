package io.carechat.messaging.nats;

import static io.carechat.messaging.nats.NatsTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.event.MessagingEvent;
import io.carechat.messaging.event.PresenceChanged;
import io.carechat.messaging.event.Resync;
import io.carechat.messaging.memory.InMemoryStorage;
import io.carechat.messaging.model.Presence;
import io.carechat.messaging.model.UserId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A node whose link to NATS breaks: node A connects directly, node B through a {@link TcpProxy}
 * the test cuts and restores. Skipped when the NATS server is unreachable (see
 * {@link NatsTestSupport}).
 */
@DisplayName("NatsEventBus when its link to NATS breaks")
class NatsEventBusLinkTest {
    private final InMemoryStorage storage = new InMemoryStorage();
    private final List<MessagingEvent> seenByA = new CopyOnWriteArrayList<>();
    private final List<MessagingEvent> seenByB = new CopyOnWriteArrayList<>();
    private final List<NatsEventBus> buses = new ArrayList<>();
    private TcpProxy proxy;
    private String stream;
    private String prefix;
    private NatsEventBus nodeA;
    private NatsEventBus nodeB;

    @BeforeEach
    void startNodes() throws Exception {
        NatsTestSupport.requireServer();
        stream = NatsTestSupport.uniqueStream();
        prefix = NatsTestSupport.uniquePrefix();
        proxy = new TcpProxy(NatsTestSupport.address());
        nodeA = bus("node-a", NatsTestSupport.url());
        nodeB = bus("node-b", proxy.url());
        nodeA.subscribe(seenByA::add);
        nodeB.subscribe(seenByB::add);
        await(() -> nodeA.isLinked() && nodeB.isLinked(), "the nodes did not link to the stream");
    }

    private NatsEventBus bus(String node, String url) {
        NatsEventBus bus = NatsEventBus.builder(storage)
                .servers(url)
                .streamName(stream)
                .subjectPrefix(prefix)
                .nodeId(node)
                .maxQueuedEvents(16)
                .confirmTimeout(Duration.ofMillis(500))
                .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(200))
                .build();
        buses.add(bus);
        return bus;
    }

    @AfterEach
    void stopNodes() throws Exception {
        buses.forEach(NatsEventBus::close);
        if (proxy != null) {
            proxy.close();
        }
        if (stream != null) {
            NatsTestSupport.deleteStream(stream);
        }
    }

    private static MessagingEvent presence(String user) {
        return new PresenceChanged(UserId.of(user), Presence.AVAILABLE, "test-node");
    }

    private static long resyncs(List<MessagingEvent> events) {
        return events.stream().filter(Resync.class::isInstance).count();
    }

    @Test
    @DisplayName("a cut link ends in a Resync once the bus has linked back by itself, and events flow again")
    void cutLinkEndsInResync() {
        proxy.cut();
        await(() -> !nodeB.isLinked(), "node B did not notice its link was cut");
        nodeA.publish(presence("missed-by-b"));
        await(() -> seenByA.contains(presence("missed-by-b")), "node A did not deliver its own event");
        assertThat(resyncs(seenByB)).as("no Resync while the link is down").isZero();

        proxy.restore();

        await(() -> nodeB.isLinked(), "node B did not link back");
        await(() -> resyncs(seenByB) >= 1, "node B delivered no Resync after linking back");
        nodeA.publish(presence("after-restore"));
        await(() -> seenByB.contains(presence("after-restore")), "node B did not get events after linking back");
        assertThat(seenByB.indexOf(presence("after-restore")))
                .as("the Resync comes before the events read after linking back")
                .isGreaterThan(seenByB.indexOf(new Resync()));
        assertThat(seenByB).doesNotContain(presence("missed-by-b"));
        assertThat(resyncs(seenByA)).as("node A's link never broke").isZero();
    }

    @Test
    @DisplayName("a confirmed publish completes once the stream stored the event; while the link is down it fails within the confirm timeout, and the event still crosses once the link is back")
    void confirmationFollowsTheStream() throws Exception {
        nodeB.publishConfirmed(presence("confirmed")).toCompletableFuture().get(10, TimeUnit.SECONDS);
        await(() -> seenByA.contains(presence("confirmed")), "node A did not get the confirmed event");

        proxy.cut();
        await(() -> !nodeB.isLinked(), "node B did not notice its link was cut");
        CompletableFuture<Void> whileDown = nodeB.publishConfirmed(presence("while-down")).toCompletableFuture();
        assertThatThrownBy(() -> whileDown.get(10, TimeUnit.SECONDS))
                .as("not confirmed while the stream cannot be reached")
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TimeoutException.class);
        assertThat(seenByB).as("delivered on its own node at once").contains(presence("while-down"));

        proxy.restore();
        await(() -> seenByA.contains(presence("while-down")), "node A did not get the event queued while down");
    }

    @Test
    @DisplayName("events published while the link is down wait in a bounded queue; those dropped end in a Resync on the other nodes")
    void overflowWhileDownEndsInResyncElsewhere() {
        proxy.cut();
        await(() -> !nodeB.isLinked(), "node B did not notice its link was cut");
        for (int i = 0; i < 40; i++) {
            nodeB.publish(presence("queued-" + i));
        }

        proxy.restore();

        await(() -> resyncs(seenByA) >= 1, "node A got no Resync for the events node B dropped");
        await(() -> seenByA.contains(presence("queued-0")), "node A did not get the events node B had queued");
        long received = seenByA.stream().filter(e -> !(e instanceof Resync)).count();
        assertThat(received).as("no more crossed than the queue held, and the one event being published")
                .isLessThanOrEqualTo(16 + 1).isPositive();
        nodeB.publish(presence("after-restore"));
        await(() -> seenByA.contains(presence("after-restore")), "node A did not get node B's later event");
    }

    @Test
    @DisplayName("a node whose consumer is deleted on the server ends in a Resync, and reads the stream again")
    void deletedConsumerEndsInResync() throws Exception {
        NatsTestSupport.withAdmin(admin -> {
            for (String consumer : admin.jetStreamManagement().getConsumerNames(stream)) {
                admin.jetStreamManagement().deleteConsumer(stream, consumer);
            }
            return null;
        });

        await(() -> resyncs(seenByB) >= 1 && resyncs(seenByA) >= 1, "the nodes delivered no Resync after losing their consumers");
        await(() -> nodeA.isLinked() && nodeB.isLinked(), "the nodes did not read the stream again");
        nodeA.publish(presence("after-reset"));
        await(() -> seenByB.contains(presence("after-reset")), "node B did not get events after its consumer was replaced");
    }

    @Test
    @DisplayName("a bus built while NATS is unreachable links as soon as it can be reached")
    void linksWhenServerAppears() {
        proxy.cut();
        await(() -> !nodeB.isLinked(), "node B did not notice its link was cut");
        NatsEventBus late = bus("node-late", proxy.url());
        List<MessagingEvent> seenByLate = new CopyOnWriteArrayList<>();
        late.subscribe(seenByLate::add);
        assertThat(late.isLinked()).isFalse();

        proxy.restore();

        await(late::isLinked, "the late node did not link");
        nodeA.publish(presence("to-late"));
        await(() -> seenByLate.contains(presence("to-late")), "the late node did not get node A's event");
        assertThat(resyncs(seenByLate)).as("a first link has nothing to catch up").isZero();
    }
}
