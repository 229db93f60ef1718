package io.carechat.messaging.auth;

import io.carechat.messaging.event.MessagingEvent;
import io.carechat.messaging.spi.EventBus;
import java.util.ArrayList;
import java.util.List;

/** An event bus that only remembers what was published. Thread-safe. */
final class RecordingEventBus implements EventBus {
    private final List<MessagingEvent> published = new ArrayList<>();

    @Override
    public synchronized void publish(MessagingEvent event) {
        published.add(event);
    }

    @Override
    public Subscription subscribe(EventListener listener) {
        throw new UnsupportedOperationException("these tests read what was published");
    }

    synchronized List<MessagingEvent> published() {
        return List.copyOf(published);
    }

    <T extends MessagingEvent> List<T> published(Class<T> type) {
        return published().stream().filter(type::isInstance).map(type::cast).toList();
    }
}
