package io.carechat.messaging.bus;

import io.carechat.messaging.error.MessagingException;
import io.carechat.messaging.event.MessagingEvent;
import io.carechat.messaging.event.Resync;
import io.carechat.messaging.spi.EventBus;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bus's delivery thread: one thread that hands events to the subscribed listeners in the
 * order they were queued, after first reading from the store what other nodes' notifications
 * name. Not API. Thread-safe.
 *
 * <p>An event of another node that cannot be read back from the store is replaced, in its place,
 * by a {@link Resync}: the hub's sessions hold what comes after it until they have caught up from
 * the store, so they still get each conversation in order. The queue is bounded: when an event
 * cannot be queued (the listeners fell too far behind), it and every event after it are dropped
 * until the queue has drained, and then a {@link Resync} is delivered, so nothing newer than a
 * dropped event is delivered before the catch-up that brings it.
 *
 * <p>Lifecycle: the thread starts with the first event; {@link #close()} stops it and drops what
 * is still queued.
 */
public final class EventDispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);
    private static final long CLOSE_WAIT_MILLIS = 5_000;

    private final List<Registration> registrations = new CopyOnWriteArrayList<>();
    private final ThreadPoolExecutor executor;
    private final AtomicBoolean missed = new AtomicBoolean();
    private volatile boolean closed;

    /**
     * Creates a dispatcher.
     *
     * @param threadFactory makes its one thread
     * @param capacity how many events may wait for delivery
     */
    public EventDispatcher(ThreadFactory threadFactory, int capacity) {
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(capacity), threadFactory);
    }

    /**
     * Subscribes a listener.
     *
     * @param listener the listener
     * @return its subscription
     */
    public EventBus.Subscription subscribe(EventBus.EventListener listener) {
        Registration registration = new Registration(listener);
        registrations.add(registration);
        return registration;
    }

    /**
     * Queues an event for delivery.
     *
     * @param event the event
     */
    public void deliverLater(MessagingEvent event) {
        submit(() -> deliver(event));
    }

    /**
     * Queues an event that is yet to be read (from the store) on the delivery thread.
     *
     * @param reader reads the event; empty when there is nothing to deliver
     */
    public void readAndDeliverLater(Supplier<Optional<MessagingEvent>> reader) {
        submit(() -> {
            Optional<MessagingEvent> event;
            try {
                event = reader.get();
            } catch (MessagingException e) {
                LOG.warn("could not read another node's event from the store ({}); sessions catch up",
                        e.code());
                deliver(new Resync());
                return;
            }
            event.ifPresent(this::deliver);
        });
    }

    private void submit(Runnable task) {
        if (closed || missed.get()) {
            // after an overflow, later events wait for the catch-up that follows the drain
            return;
        }
        try {
            executor.execute(() -> {
                task.run();
                if (executor.getQueue().isEmpty() && missed.compareAndSet(true, false)) {
                    deliver(new Resync());
                }
            });
        } catch (RejectedExecutionException e) {
            if (!closed && !missed.getAndSet(true)) {
                LOG.warn("the event bus's delivery queue is full; events are dropped until it drains,"
                        + " then sessions catch up from the store");
            }
        }
    }

    private void deliver(MessagingEvent event) {
        for (Registration registration : registrations) {
            registration.deliver(event);
        }
    }

    /** Stops the delivery thread, dropping what is still queued. Idempotent. */
    @Override
    public void close() {
        closed = true;
        registrations.forEach(Registration::close);
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                LOG.warn("the event bus's delivery thread did not stop in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Registration implements EventBus.Subscription {
        private final EventBus.EventListener listener;
        private volatile boolean active = true;

        private Registration(EventBus.EventListener listener) {
            this.listener = listener;
        }

        private void deliver(MessagingEvent event) {
            if (!active) {
                return;
            }
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("an event listener failed on a {} event ({}); the others still get it",
                        event.getClass().getSimpleName(), e.getClass().getName());
            }
        }

        @Override
        public void close() {
            active = false;
            registrations.remove(this);
        }
    }
}
