package io.carechat.messaging.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.model.Presence;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.event.MessagingEvent;
import io.carechat.messaging.event.PresenceChanged;
import io.carechat.messaging.spi.EventBus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The conformance kit for {@link EventBus}. An adapter subclasses it and returns a fresh bus from
 * {@link #createBus()}; the kit closes it after each test. Delivery may be asynchronous: the kit
 * waits (bounded) for events to arrive, and proves that something did not arrive by waiting for a
 * later marker event published from the same thread.
 *
 * <p>Not thread-safe itself (JUnit makes one instance per test).
 */
@DisplayName("EventBus contract")
public abstract class EventBusContract {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** The bus under test, fresh for each test. */
    protected EventBus bus;

    /**
     * Makes a fresh bus with no subscribers. Called once before each test.
     *
     * @return the bus under test
     */
    protected abstract EventBus createBus();

    @BeforeEach
    void createFreshBus() {
        bus = createBus();
    }

    @AfterEach
    void closeBus() {
        if (bus != null) {
            bus.close();
        }
    }

    /**
     * An event that tells events apart by its user id.
     *
     * @param n a number to put in the id
     * @return the event
     */
    protected static MessagingEvent event(int n) {
        return new PresenceChanged(UserId.of("user-" + n), Presence.AVAILABLE, "test-node");
    }

    /** Records the events a listener got. Thread-safe. */
    protected static final class Recorder implements EventBus.EventListener {
        private final List<MessagingEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void onEvent(MessagingEvent event) {
            events.add(event);
        }

        /**
         * What arrived so far.
         *
         * @return a snapshot
         */
        public List<MessagingEvent> events() {
            return List.copyOf(events);
        }

        /**
         * Waits until {@code event} has arrived.
         *
         * @param event the event to wait for
         */
        public void awaitEvent(MessagingEvent event) {
            await(() -> events.contains(event), "event " + event + " did not arrive");
        }

        /**
         * Waits until at least {@code count} events have arrived.
         *
         * @param count how many
         */
        public void awaitCount(int count) {
            await(() -> events.size() >= count, count + " events did not arrive, got " + events.size());
        }
    }

    private static void await(BooleanSupplier condition, String failure) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(failure);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    /** Who gets which events. */
    @Nested
    @DisplayName("delivery")
    public class Delivery {

        @Test
        @DisplayName("every subscriber gets every event published after it subscribed, and none from before")
        void everySubscriberGetsLaterEvents() {
            Recorder early = new Recorder();
            bus.subscribe(early);
            bus.publish(event(1));
            early.awaitEvent(event(1));
            Recorder late = new Recorder();
            bus.subscribe(late);
            bus.publish(event(2));
            bus.publish(event(3));
            early.awaitCount(3);
            late.awaitCount(2);
            assertThat(early.events()).containsExactly(event(1), event(2), event(3));
            assertThat(late.events()).containsExactly(event(2), event(3));
        }

        @Test
        @DisplayName("events from one publishing thread arrive in the order published")
        void orderPerPublisher() {
            Recorder recorder = new Recorder();
            bus.subscribe(recorder);
            List<MessagingEvent> published = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                published.add(event(i));
                bus.publish(event(i));
            }
            recorder.awaitCount(100);
            assertThat(recorder.events()).containsExactlyElementsOf(published);
        }

        @Test
        @DisplayName("events published from 8 threads at once all arrive, each exactly once")
        void concurrentPublishersLoseNothing() {
            Recorder recorder = new Recorder();
            bus.subscribe(recorder);
            Concurrently.run(8, t -> () -> {
                for (int i = 0; i < 50; i++) {
                    bus.publish(event(t * 1000 + i));
                }
                return null;
            });
            recorder.awaitCount(400);
            assertThat(new HashSet<>(recorder.events())).hasSize(400);
            assertThat(recorder.events()).hasSize(400);
        }

        @Test
        @DisplayName("a listener that throws does not stop delivery to the others, nor to itself later")
        void throwingListenerDoesNotStopOthers() {
            List<MessagingEvent> seenByThrower = new CopyOnWriteArrayList<>();
            bus.subscribe(e -> {
                seenByThrower.add(e);
                throw new IllegalStateException("listener failure for the test");
            });
            Recorder recorder = new Recorder();
            bus.subscribe(recorder);
            bus.publish(event(1));
            bus.publish(event(2));
            recorder.awaitCount(2);
            assertThat(recorder.events()).containsExactly(event(1), event(2));
            await(() -> seenByThrower.size() == 2, "the throwing listener missed its second event");
        }
    }

    /** Ending subscriptions. */
    @Nested
    @DisplayName("subscriptions")
    public class Subscriptions {

        @Test
        @DisplayName("after a subscription is closed its listener gets nothing more, while others still do")
        void closedSubscriptionGetsNothing() {
            Recorder closed = new Recorder();
            Recorder open = new Recorder();
            EventBus.Subscription subscription = bus.subscribe(closed);
            bus.subscribe(open);
            bus.publish(event(1));
            closed.awaitEvent(event(1));
            subscription.close();
            bus.publish(event(2));
            bus.publish(event(3));
            open.awaitEvent(event(3));
            assertThat(closed.events()).containsExactly(event(1));
        }

        @Test
        @DisplayName("closing a subscription twice is harmless")
        void closeIsIdempotent() {
            Recorder recorder = new Recorder();
            EventBus.Subscription subscription = bus.subscribe(recorder);
            subscription.close();
            subscription.close();
            Recorder marker = new Recorder();
            bus.subscribe(marker);
            bus.publish(event(1));
            marker.awaitEvent(event(1));
            assertThat(recorder.events()).isEmpty();
        }
    }
}
