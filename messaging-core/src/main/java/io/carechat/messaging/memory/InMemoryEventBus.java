package io.carechat.messaging.memory;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.event.MessagingEvent;
import io.carechat.messaging.spi.EventBus;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An event bus within one JVM: {@link #publish(MessagingEvent)} calls every subscribed listener
 * on the publishing thread, in subscription order, before it returns. A listener that throws is
 * logged (the event's type only) and the others still get the event. For a single node; several
 * nodes need a bus that crosses processes, such as the PostgreSQL one in {@code messaging-jdbc}.
 *
 * <p>Thread-safe: several threads may publish and subscribe at once. Lifecycle: create it, hand it
 * to the builder, and {@link #close()} it after closing the facade; a closed bus drops every
 * subscription and refuses to publish.
 */
public final class InMemoryEventBus implements EventBus {
    private static final Logger LOG = LoggerFactory.getLogger(InMemoryEventBus.class);

    private final List<Registration> registrations = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Creates a bus with no subscribers. */
    public InMemoryEventBus() {}

    /**
     * Delivers the event to every current subscriber before returning.
     *
     * @param event the event
     * @throws IllegalStateException if the bus is closed
     */
    @Override
    public void publish(MessagingEvent event) {
        requireNonNull(event, "event");
        if (closed.get()) {
            throw new IllegalStateException("the event bus is closed");
        }
        for (Registration registration : registrations) {
            registration.deliver(event);
        }
    }

    /**
     * Subscribes a listener.
     *
     * @param listener called on the publishing thread; must not block
     * @return the subscription
     * @throws IllegalStateException if the bus is closed
     */
    @Override
    public Subscription subscribe(EventListener listener) {
        requireNonNull(listener, "listener");
        if (closed.get()) {
            throw new IllegalStateException("the event bus is closed");
        }
        Registration registration = new Registration(listener);
        registrations.add(registration);
        return registration;
    }

    /** Drops every subscription. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            registrations.forEach(Registration::close);
        }
    }

    private final class Registration implements Subscription {
        private final EventListener listener;
        private volatile boolean active = true;

        private Registration(EventListener listener) {
            this.listener = listener;
        }

        private void deliver(MessagingEvent event) {
            if (!active) {
                return;
            }
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("an event listener failed on a {} event; the others still get it",
                        event.getClass().getSimpleName(), e);
            }
        }

        @Override
        public void close() {
            active = false;
            registrations.remove(this);
        }
    }
}
