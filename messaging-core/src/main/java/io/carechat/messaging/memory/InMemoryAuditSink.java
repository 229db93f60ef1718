package io.carechat.messaging.memory;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.AuditSink;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@link AuditSink} that keeps events in memory, in the order recorded, for tests and demos.
 * Thread-safe. Nothing survives a restart, and memory grows with every event: not for production.
 */
public final class InMemoryAuditSink implements AuditSink {
    private final List<AuditEvent> events = new ArrayList<>();

    /** Creates an empty sink. */
    public InMemoryAuditSink() {}

    @Override
    public synchronized void record(AuditEvent event) {
        events.add(requireNonNull(event, "event"));
    }

    /**
     * Every event recorded so far, oldest first.
     *
     * @return an unmodifiable snapshot
     */
    public synchronized List<AuditEvent> events() {
        return List.copyOf(events);
    }
}
