package io.carechat.messaging.memory;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.spi.LegalHold;
import io.carechat.messaging.spi.LegalHoldStore;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link LegalHoldStore} in memory, for tests and demos. Thread-safe. Nothing survives a restart:
 * not for production, where a lost hold means evidence purged.
 */
public final class InMemoryLegalHoldStore implements LegalHoldStore {
    private final Map<String, LegalHold> holds = new HashMap<>();

    /** Creates an empty store. */
    public InMemoryLegalHoldStore() {}

    @Override
    public synchronized boolean place(LegalHold hold) {
        requireNonNull(hold, "hold");
        return holds.putIfAbsent(hold.id(), hold) == null;
    }

    @Override
    public synchronized boolean release(String id) {
        return holds.remove(requireNonNull(id, "id")) != null;
    }

    @Override
    public synchronized List<LegalHold> all() {
        return holds.values().stream()
                .sorted(Comparator.comparing(LegalHold::placedAt).thenComparing(LegalHold::id))
                .toList();
    }
}
