package io.carechat.messaging.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.model.Presence;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.NodePresence;
import io.carechat.messaging.spi.PresenceStore;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The conformance kit for {@link PresenceStore}. Subclass it and return a fresh, empty store from
 * {@link #createStore()}, such as the {@link io.carechat.messaging.spi.MessagingStorage#presence()}
 * of a fresh storage. Not thread-safe itself: JUnit makes one instance per test, which calls
 * {@link #createStore()} before the test and {@link #disposeStore()} after it.
 */
@DisplayName("PresenceStore contract")
public abstract class PresenceStoreContract {
    private static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");
    private static final UserId ANN = UserId.of("pat-ann");
    private static final UserId BEN = UserId.of("pat-ben");
    private static final UserId DOC = UserId.of("doc-dora");

    private PresenceStore store;

    /**
     * Makes a fresh, empty store.
     *
     * @return the store
     */
    protected abstract PresenceStore createStore();

    /** Releases what {@link #createStore()} made; the default does nothing. */
    protected void disposeStore() {}

    @BeforeEach
    void create() {
        store = createStore();
    }

    @AfterEach
    void dispose() {
        disposeStore();
    }

    private static NodePresence on(String node, UserId user, Presence presence, int second) {
        return new NodePresence(node, user, presence, T0.plusSeconds(second));
    }

    @Test
    @DisplayName("what live nodes say is read back with every field; a replacement takes the place of the node's earlier word")
    void replaceAndRead() {
        store.replace("node-a", List.of(on("node-a", ANN, Presence.AVAILABLE, 1), on("node-a", BEN, Presence.AWAY, 2)),
                T0.plusSeconds(30));
        store.replace("node-b", List.of(on("node-b", ANN, Presence.BUSY, 3)), T0.plusSeconds(30));
        assertThat(store.live(T0)).containsExactlyInAnyOrder(on("node-a", ANN, Presence.AVAILABLE, 1),
                on("node-a", BEN, Presence.AWAY, 2), on("node-b", ANN, Presence.BUSY, 3));

        store.replace("node-a", List.of(on("node-a", DOC, Presence.AVAILABLE, 4)), T0.plusSeconds(40));
        assertThat(store.live(T0)).containsExactlyInAnyOrder(on("node-a", DOC, Presence.AVAILABLE, 4),
                on("node-b", ANN, Presence.BUSY, 3));

        store.replace("node-a", List.of(), T0.plusSeconds(40));
        assertThat(store.live(T0)).containsExactly(on("node-b", ANN, Presence.BUSY, 3));
    }

    @Test
    @DisplayName("a node's users are not live once its lease has ended, and renewing extends it")
    void leaseEnds() {
        store.replace("node-a", List.of(on("node-a", ANN, Presence.AVAILABLE, 1)), T0.plusSeconds(30));
        assertThat(store.live(T0.plusSeconds(29))).hasSize(1);
        assertThat(store.live(T0.plusSeconds(30))).as("the lease ends at its instant").isEmpty();

        assertThat(store.renew("node-a", T0.plusSeconds(60))).isTrue();
        assertThat(store.live(T0.plusSeconds(45))).containsExactly(on("node-a", ANN, Presence.AVAILABLE, 1));
    }

    @Test
    @DisplayName("forgetting expired nodes removes them and their users, leaves the others, and makes renew say so")
    void forgetExpired() {
        store.replace("node-a", List.of(on("node-a", ANN, Presence.AVAILABLE, 1)), T0.plusSeconds(10));
        store.replace("node-b", List.of(on("node-b", BEN, Presence.AVAILABLE, 1)), T0.plusSeconds(60));

        assertThat(store.forgetExpired(T0.plusSeconds(20))).isEqualTo(1);
        assertThat(store.forgetExpired(T0.plusSeconds(20))).isZero();
        assertThat(store.renew("node-a", T0.plusSeconds(90))).as("node-a was forgotten").isFalse();
        assertThat(store.live(T0.plusSeconds(20))).containsExactly(on("node-b", BEN, Presence.AVAILABLE, 1));

        store.replace("node-a", List.of(on("node-a", ANN, Presence.BUSY, 25)), T0.plusSeconds(90));
        assertThat(store.live(T0.plusSeconds(20))).hasSize(2);
    }

    @Test
    @DisplayName("a node that leaves is gone at once with its users; leaving twice or unknown is harmless")
    void leave() {
        store.replace("node-a", List.of(on("node-a", ANN, Presence.AVAILABLE, 1)), T0.plusSeconds(30));
        store.leave("node-a");
        store.leave("node-a");
        store.leave("node-unknown");
        assertThat(store.live(T0)).isEmpty();
        assertThat(store.renew("node-a", T0.plusSeconds(30))).isFalse();
    }

    @Test
    @DisplayName("an entry of another node is refused")
    void refusesOtherNodesEntries() {
        assertThatThrownBy(() -> store.replace("node-a", List.of(on("node-b", ANN, Presence.AVAILABLE, 1)),
                T0.plusSeconds(30))).isInstanceOf(IllegalArgumentException.class);
    }
}
