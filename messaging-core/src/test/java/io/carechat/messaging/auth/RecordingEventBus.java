package io.carechat.messaging.auth;

import io.carechat.messaging.event.MessagingEvent;
import io.carechat.messaging.spi.EventBus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An event bus that remembers what was published and hands each event to its subscribers on the
 * publishing thread. Thread-safe.
 */
final class RecordingEventBus implements EventBus {
    private final List<MessagingEvent> published = new ArrayList<>();
    private final List<EventListener> listeners = new CopyOnWriteArrayList<>();

    @Override
    public void publish(MessagingEvent event) {
        synchronized (this) {
            published.add(event);
        }
        listeners.forEach(listener -> listener.onEvent(event));
    }

    @Override
    public Subscription subscribe(EventListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    synchronized List<MessagingEvent> published() {
        return List.copyOf(published);
    }

    <T extends MessagingEvent> List<T> published(Class<T> type) {
        return published().stream().filter(type::isInstance).map(type::cast).toList();
    }
}
