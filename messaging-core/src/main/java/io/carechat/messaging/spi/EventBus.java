package io.carechat.messaging.spi;

import io.carechat.messaging.event.MessagingEvent;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Carries committed events to every subscriber on every node. Implementations are thread-safe.
 *
 * <p>Rules the conformance kit checks: every subscriber gets every event published after it
 * subscribed; events from one publishing thread arrive in the order published; a listener that
 * throws does not stop delivery to the others; after {@link Subscription#close()} a listener gets
 * nothing more. Listeners must not block: they run on the bus's delivery thread.
 *
 * <p>A bus carries ids, never content: a {@link io.carechat.messaging.event.MessageCommitted}
 * names its message by ids and the conversation's members, and a bus that crosses processes sends
 * what an event names by ids only. A bus holds no keys; the {@link io.carechat.messaging.Messaging}
 * facade opens each message for its own subscribers.
 *
 * <p>A bus that crosses processes may lose events (a connection down, a queue full). It then
 * publishes a {@link io.carechat.messaging.event.Resync} to its local subscribers once it works
 * again, and the hub catches its live sessions up from the store.
 *
 * <p>Lifecycle: the application creates the bus, hands it to the builder, and closes it after
 * closing {@link io.carechat.messaging.Messaging}.
 */
public interface EventBus extends AutoCloseable {

    /**
     * Publishes an event, after what it describes is committed.
     *
     * @param event the event
     */
    void publish(MessagingEvent event);

    /**
     * Publishes an event, as {@link #publish}, and tells when every node is sure to hear of it
     * even if this process dies at once. The facade waits for it before it acknowledges a new
     * message to its sender, so that a message acknowledged is never one that only this node knew
     * of: a bus across processes completes the stage once the event is stored where the other
     * nodes read it (a broker's acknowledgement), and fails it when it could not be within a time
     * of its own (a link down, a queue full); the sender is then told to retry, and the retry
     * announces the message again.
     *
     * <p>The default publishes and completes at once: right for a bus within one process, and for
     * one that announces commits by other means (in the committing transaction).
     *
     * @param event the event
     * @return completes when the event is sure to reach every node; never null
     */
    default CompletionStage<Void> publishConfirmed(MessagingEvent event) {
        publish(event);
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Subscribes a listener.
     *
     * @param listener called once per event, must not block
     * @return a handle that stops delivery when closed
     */
    Subscription subscribe(EventListener listener);

    /** Stops delivery and frees resources. The default does nothing. */
    @Override
    default void close() {}

    /** Receives events. */
    @FunctionalInterface
    interface EventListener {
        /**
         * Handles one event. Must not block.
         *
         * @param event the event
         */
        void onEvent(MessagingEvent event);
    }

    /** A subscription; closing it stops delivery to its listener. Idempotent. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
