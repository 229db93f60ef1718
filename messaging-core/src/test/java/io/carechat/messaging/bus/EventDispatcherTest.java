package io.carechat.messaging.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.model.Presence;
import io.carechat.messaging.error.UnavailableException;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.event.MessagingEvent;
import io.carechat.messaging.event.PresenceChanged;
import io.carechat.messaging.event.Resync;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The PostgreSQL bus's delivery thread")
class EventDispatcherTest {
    private static final int CAPACITY = 16;

    private final EventDispatcher dispatcher = new EventDispatcher(runnable -> {
        Thread thread = new Thread(runnable, "test-deliver");
        thread.setDaemon(true);
        return thread;
    }, CAPACITY);
    private final List<MessagingEvent> seen = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        dispatcher.close();
    }

    private static MessagingEvent event(int n) {
        return new PresenceChanged(UserId.of("user-" + n), Presence.AWAY, "test-node");
    }

    private void awaitSeen(MessagingEvent event) throws InterruptedException {
        for (int i = 0; i < 1000 && !seen.contains(event); i++) {
            Thread.sleep(10);
        }
        assertThat(seen).contains(event);
    }

    @Test
    @DisplayName("when its queue overflows it drops events, then delivers one Resync once the queue has drained")
    void overflowEndsInResync() throws InterruptedException {
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        dispatcher.subscribe(e -> {
            if (e.equals(event(0))) {
                stuck.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        dispatcher.subscribe(seen::add);
        dispatcher.deliverLater(event(0));
        assertThat(stuck.await(10, TimeUnit.SECONDS)).isTrue();
        int published = CAPACITY + 10;
        for (int i = 1; i <= published; i++) {
            dispatcher.deliverLater(event(i));
        }

        release.countDown();
        awaitSeen(new Resync());

        assertThat(seen).hasSize(1 + CAPACITY + 1);
        assertThat(seen.subList(0, 1 + CAPACITY)).doesNotContain(new Resync()).contains(event(0), event(CAPACITY));
        assertThat(seen.get(seen.size() - 1)).isEqualTo(new Resync());
        assertThat(seen).doesNotContain(event(published));
    }

    @Test
    @DisplayName("an event that cannot be read from the store is replaced by a Resync in its place, before the events after it")
    void unreadableEventIsReplacedInPlace() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        dispatcher.subscribe(e -> {
            if (e.equals(event(0))) {
                awaitQuietly(release);
            }
        });
        dispatcher.subscribe(seen::add);
        dispatcher.deliverLater(event(0));
        dispatcher.readAndDeliverLater(() -> {
            throw new UnavailableException("storage is unavailable, retry later");
        });
        dispatcher.deliverLater(event(1));
        release.countDown();
        awaitSeen(event(1));

        assertThat(seen).containsExactly(event(0), new Resync(), event(1));
    }

    @Test
    @DisplayName("after an overflow, events queued once there is room again are dropped too until the Resync: none newer than a dropped one comes before it")
    void nothingNewerThanADroppedEventComesBeforeTheResync() throws InterruptedException {
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch second = new CountDownLatch(1);
        dispatcher.subscribe(e -> {
            if (e.equals(event(0))) {
                stuck.countDown();
                awaitQuietly(first);
            } else if (e.equals(event(1))) {
                awaitQuietly(second);
            }
        });
        dispatcher.subscribe(seen::add);
        dispatcher.deliverLater(event(0));
        assertThat(stuck.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 1; i <= CAPACITY; i++) {
            dispatcher.deliverLater(event(i));
        }
        dispatcher.deliverLater(event(100));
        first.countDown();
        // event(1) is being delivered now, so the queue has room for one again
        for (int i = 0; i < 1000 && seen.size() < 1; i++) {
            Thread.sleep(10);
        }
        dispatcher.deliverLater(event(101));
        second.countDown();
        awaitSeen(new Resync());

        assertThat(seen).doesNotContain(event(100), event(101));
        assertThat(seen.get(seen.size() - 1)).isEqualTo(new Resync());
        assertThat(seen).hasSize(CAPACITY + 2);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
