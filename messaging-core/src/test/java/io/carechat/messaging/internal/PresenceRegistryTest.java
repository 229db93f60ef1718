package io.carechat.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.event.PresenceChanged;
import io.carechat.messaging.memory.InMemoryEventBus;
import io.carechat.messaging.memory.InMemoryPresenceStore;
import io.carechat.messaging.model.Presence;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Cluster presence: nodes share one bus and one presence store, each with its own registry, and the
 * test runs their refreshes by hand on a test clock.
 */
@DisplayName("Cluster presence under a lease")
class PresenceRegistryTest {
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final UserId ANN = UserId.of("pat-ann");
    private static final UserId BEN = UserId.of("pat-ben");

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T08:00:00Z"));
    private final InMemoryEventBus bus = new InMemoryEventBus();
    private final InMemoryPresenceStore store = new InMemoryPresenceStore();
    private final List<AutoCloseable> toClose = new CopyOnWriteArrayList<>();

    /** A node's registry, and what its refreshes handed on. */
    private record Node(PresenceRegistry registry, List<PresenceChanged> refreshed) {}

    private Node node(String id) {
        List<PresenceChanged> refreshed = new CopyOnWriteArrayList<>();
        PresenceRegistry registry = PresenceRegistry.leased(bus, id, clock, store, LEASE, refreshed::add);
        toClose.add(registry);
        return new Node(registry, refreshed);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        bus.close();
    }

    @Test
    @DisplayName("a user online on one node shows online on the other at once, through the bus")
    void changesTravelOnTheBus() {
        Node a = node("node-a");
        Node b = node("node-b");
        a.registry().announce(ANN, Presence.BUSY);
        assertThat(b.registry().of(ANN)).isEqualTo(Presence.BUSY);
        a.registry().announce(ANN, Presence.OFFLINE);
        assertThat(b.registry().of(ANN)).isEqualTo(Presence.OFFLINE);
    }

    @Test
    @DisplayName("a node that starts after users connected elsewhere learns them from the store on its first refresh")
    void lateNodeLearnsFromTheStore() {
        Node a = node("node-a");
        a.registry().announce(ANN, Presence.AVAILABLE);
        a.registry().refresh();

        Node late = node("node-late");
        assertThat(late.registry().of(ANN)).isEqualTo(Presence.OFFLINE);
        late.registry().refresh();
        assertThat(late.registry().of(ANN)).isEqualTo(Presence.AVAILABLE);
        assertThat(late.refreshed()).containsExactly(new PresenceChanged(ANN, Presence.AVAILABLE, "node-late"));
    }

    @Test
    @DisplayName("a lost node's users show offline once its lease has ended and a refresh ran, not before")
    void lostNodesUsersGoOffline() {
        Node a = node("node-a");
        Node b = node("node-b");
        a.registry().announce(ANN, Presence.AVAILABLE);
        a.registry().refresh();
        b.registry().refresh();
        // node-a dies: it stops refreshing and says nothing more.

        Duration step = b.registry().refreshInterval();
        Duration waited = Duration.ZERO;
        while (waited.plus(step).compareTo(LEASE) < 0) {
            clock.advance(step);
            waited = waited.plus(step);
            b.registry().refresh();
            assertThat(b.registry().of(ANN)).as("after %s, within the lease", waited).isEqualTo(Presence.AVAILABLE);
        }
        clock.advance(step.multipliedBy(2));
        b.registry().refresh();

        assertThat(b.registry().of(ANN)).as("a refresh after the lease ended").isEqualTo(Presence.OFFLINE);
        assertThat(b.refreshed()).containsExactly(new PresenceChanged(ANN, Presence.OFFLINE, "node-b"));
        assertThat(store.live(clock.instant())).isEmpty();
    }

    @Test
    @DisplayName("a node that keeps refreshing keeps its users online however long they stay")
    void renewedLeaseKeepsUsers() {
        Node a = node("node-a");
        Node b = node("node-b");
        a.registry().announce(ANN, Presence.AWAY);
        for (int i = 0; i < 20; i++) {
            a.registry().refresh();
            b.registry().refresh();
            clock.advance(a.registry().refreshInterval());
        }
        assertThat(b.registry().of(ANN)).isEqualTo(Presence.AWAY);
        assertThat(b.refreshed()).isEmpty();
    }

    @Test
    @DisplayName("a user on two nodes stays online when one of them drops their last session, with the status set last")
    void userOnTwoNodes() {
        Node a = node("node-a");
        Node b = node("node-b");
        a.registry().announce(ANN, Presence.AVAILABLE);
        clock.advance(Duration.ofSeconds(1));
        b.registry().announce(ANN, Presence.BUSY);
        assertThat(a.registry().of(ANN)).isEqualTo(Presence.BUSY);

        b.registry().announce(ANN, Presence.OFFLINE);
        assertThat(a.registry().of(ANN)).isEqualTo(Presence.AVAILABLE);
        assertThat(b.registry().of(ANN)).isEqualTo(Presence.AVAILABLE);
    }

    @Test
    @DisplayName("a store a refresh behind does not bring back a user who just went offline on the bus")
    void freshBusNewsStandsOverTheStore() {
        Node a = node("node-a");
        Node b = node("node-b");
        a.registry().announce(BEN, Presence.AVAILABLE);
        a.registry().refresh();
        a.registry().announce(BEN, Presence.OFFLINE);

        b.registry().refresh();
        assertThat(b.registry().of(BEN)).as("node-a has not written its change yet").isEqualTo(Presence.OFFLINE);

        a.registry().refresh();
        clock.advance(LEASE);
        b.registry().refresh();
        assertThat(b.registry().of(BEN)).isEqualTo(Presence.OFFLINE);
        assertThat(b.refreshed()).isEmpty();
    }

    @Test
    @DisplayName("a node that closes cleanly takes its users out of the store at once")
    void cleanCloseLeaves() {
        Node a = node("node-a");
        a.registry().announce(ANN, Presence.AVAILABLE);
        a.registry().refresh();
        a.registry().close();
        Node b = node("node-b");
        b.registry().refresh();
        assertThat(b.registry().of(ANN)).isEqualTo(Presence.OFFLINE);
    }

    @Test
    @DisplayName("a node forgotten while it could not reach the store writes its users again when it can")
    void forgottenNodeWritesAgain() {
        Node a = node("node-a");
        Node b = node("node-b");
        a.registry().announce(ANN, Presence.AVAILABLE);
        a.registry().refresh();
        clock.advance(LEASE.plusSeconds(1));
        b.registry().refresh();
        assertThat(b.registry().of(ANN)).as("node-a's lease ended").isEqualTo(Presence.OFFLINE);

        a.registry().refresh();
        b.registry().refresh();
        assertThat(b.registry().of(ANN)).isEqualTo(Presence.AVAILABLE);
    }
}
