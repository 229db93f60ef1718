package io.carechat.messaging.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.DueNotification;
import io.carechat.messaging.spi.NotificationStore;
import io.carechat.messaging.spi.PendingArrival;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The conformance kit for {@link NotificationStore}. Subclass it and return a fresh, empty store
 * from {@link #createStore()}, such as the
 * {@link io.carechat.messaging.spi.MessagingStorage#notifications()} of a fresh storage. Not
 * thread-safe itself: JUnit makes one instance per test, which calls {@link #createStore()} before
 * the test and {@link #disposeStore()} after it.
 */
@DisplayName("NotificationStore contract")
public abstract class NotificationStoreContract {
    private static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");
    private static final UserId ANN = UserId.of("pat-ann");
    private static final UserId BEN = UserId.of("pat-ben");

    private NotificationStore store;

    /**
     * Makes a fresh, empty store.
     *
     * @return the store
     */
    protected abstract NotificationStore createStore();

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

    private static Instant at(int second) {
        return T0.plusSeconds(second);
    }

    private List<DueNotification> claimAt(int second) {
        return store.claim(at(second), at(second + 60), 100);
    }

    @Test
    @DisplayName("a scheduled notice is claimed once it is due, not before, with its urgent count")
    void claimedWhenDue() {
        store.schedule(List.of(new PendingArrival(ANN, at(60), 2), new PendingArrival(BEN, at(90), 0)));

        assertThat(claimAt(59)).isEmpty();
        List<DueNotification> due = claimAt(60);
        assertThat(due).singleElement().satisfies(n -> {
            assertThat(n.userId()).isEqualTo(ANN);
            assertThat(n.urgentMessages()).isEqualTo(2);
            assertThat(n.notifiedAt()).isNull();
        });
        assertThat(claimAt(90)).extracting(DueNotification::userId).containsExactly(BEN);
    }

    @Test
    @DisplayName("arrivals while a notice is pending keep its first due time and add their urgent counts")
    void windowKeepsFirstDueTime() {
        store.schedule(List.of(new PendingArrival(ANN, at(60), 0)));
        store.schedule(List.of(new PendingArrival(ANN, at(70), 1)));
        store.schedule(List.of(new PendingArrival(ANN, at(80), 1)));

        assertThat(claimAt(60)).singleElement().satisfies(n -> {
            assertThat(n.urgentMessages()).isEqualTo(2);
            assertThat(n.arrivals()).isEqualTo(3);
        });
    }

    @Test
    @DisplayName("a claimed notice is not claimed again until its claim ends")
    void claimHolds() {
        store.schedule(List.of(new PendingArrival(ANN, at(60), 0)));
        assertThat(store.claim(at(60), at(120), 10)).hasSize(1);

        assertThat(store.claim(at(119), at(180), 10)).isEmpty();
        assertThat(store.claim(at(120), at(180), 10)).as("the first claim ended unanswered").hasSize(1);
    }

    @Test
    @DisplayName("of claimers racing for the same due notices, each notice goes to exactly one")
    void racingClaimers() {
        List<PendingArrival> arrivals = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            arrivals.add(new PendingArrival(UserId.of("user-" + i), at(60), 0));
        }
        store.schedule(arrivals);

        List<List<DueNotification>> claims = Concurrently.run(4, i -> () -> store.claim(at(61), at(120), 100));

        List<UserId> claimed = claims.stream().flatMap(List::stream).map(DueNotification::userId).toList();
        assertThat(claimed).hasSize(40).doesNotHaveDuplicates();
    }

    @Test
    @DisplayName("a notice completed as sent is no longer pending, and the next one carries when it was sent")
    void completedAsSent() {
        store.schedule(List.of(new PendingArrival(ANN, at(60), 1)));
        store.complete(claimAt(60).get(0), at(61));

        assertThat(claimAt(500)).isEmpty();
        store.schedule(List.of(new PendingArrival(ANN, at(600), 0)));
        assertThat(claimAt(600)).singleElement().satisfies(n -> {
            assertThat(n.notifiedAt()).isEqualTo(at(61));
            assertThat(n.urgentMessages()).as("the urgent count started again").isZero();
        });
    }

    @Test
    @DisplayName("a notice completed without sending keeps the time of the last one sent")
    void completedWithoutSending() {
        store.schedule(List.of(new PendingArrival(ANN, at(60), 0)));
        store.complete(claimAt(60).get(0), at(61));
        store.schedule(List.of(new PendingArrival(ANN, at(200), 0)));
        store.complete(claimAt(200).get(0), null);

        assertThat(claimAt(300)).isEmpty();
        store.schedule(List.of(new PendingArrival(ANN, at(400), 0)));
        assertThat(claimAt(400)).singleElement().extracting(DueNotification::notifiedAt).isEqualTo(at(61));
    }

    @Test
    @DisplayName("what arrived while a notice was claimed stays pending after the claim completes")
    void arrivalsDuringClaimStayPending() {
        store.schedule(List.of(new PendingArrival(ANN, at(60), 1)));
        DueNotification claimed = claimAt(60).get(0);
        store.schedule(List.of(new PendingArrival(ANN, at(90), 1)));
        store.complete(claimed, at(61));

        assertThat(claimAt(62)).as("still due from the first arrival").singleElement().satisfies(n -> {
            assertThat(n.urgentMessages()).isEqualTo(1);
            assertThat(n.notifiedAt()).isEqualTo(at(61));
        });
    }

    @Test
    @DisplayName("a postponed notice is due at its new time and keeps what it covered")
    void postponed() {
        store.schedule(List.of(new PendingArrival(ANN, at(60), 1)));
        store.postpone(claimAt(60).get(0), at(900));

        assertThat(claimAt(899)).isEmpty();
        assertThat(claimAt(900)).singleElement().extracting(DueNotification::urgentMessages).isEqualTo(1L);
    }

    @Test
    @DisplayName("a completion or postponement under a claim that ended and was taken again changes nothing")
    void staleClaimIgnored() {
        store.schedule(List.of(new PendingArrival(ANN, at(60), 0)));
        DueNotification first = store.claim(at(60), at(70), 10).get(0);
        DueNotification second = store.claim(at(70), at(130), 10).get(0);

        store.complete(first, at(71));
        store.postpone(first, at(5000));
        assertThat(store.claim(at(129), at(200), 10)).as("the second claim still holds").isEmpty();

        store.complete(second, null);
        store.schedule(List.of(new PendingArrival(ANN, at(300), 0)));
        assertThat(claimAt(300)).singleElement().extracting(DueNotification::notifiedAt)
                .as("the stale completion recorded nothing").isNull();
    }

    @Test
    @DisplayName("a claim takes at most its limit, oldest due first")
    void limitOldestFirst() {
        store.schedule(List.of(new PendingArrival(ANN, at(50), 0), new PendingArrival(BEN, at(40), 0)));

        assertThat(store.claim(at(60), at(120), 1)).extracting(DueNotification::userId).containsExactly(BEN);
    }

    @Test
    @DisplayName("a schedule naming one user twice, or a claim ending before it starts, is refused")
    void badInput() {
        assertThatThrownBy(() -> store.schedule(List.of(new PendingArrival(ANN, at(1), 0),
                new PendingArrival(ANN, at(2), 0)))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.claim(at(60), at(60), 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.claim(at(60), at(61), 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
