package io.carechat.messaging.memory;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.error.ConflictException;
import io.carechat.messaging.model.BreakGlassGrant;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.BreakGlassStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A {@link BreakGlassStore} in memory, for tests and demos. Thread-safe (every method holds the
 * store's lock). Nothing survives a restart.
 */
public final class InMemoryBreakGlassStore implements BreakGlassStore {
    private final List<BreakGlassGrant> grants = new ArrayList<>();

    /** Creates an empty store. */
    public InMemoryBreakGlassStore() {}

    @Override
    public synchronized void save(BreakGlassGrant grant) {
        requireNonNull(grant, "grant");
        if (grants.stream().anyMatch(g -> g.id().equals(grant.id()))) {
            throw new ConflictException("a break-glass grant with this id is stored");
        }
        grants.add(grant);
    }

    @Override
    public synchronized Optional<BreakGlassGrant> active(ConversationId conversationId, UserId doctorId,
            Instant now) {
        requireNonNull(conversationId, "conversationId");
        requireNonNull(doctorId, "doctorId");
        requireNonNull(now, "now");
        return grants.stream()
                .filter(g -> g.conversationId().equals(conversationId) && g.doctorId().equals(doctorId)
                        && g.activeAt(now))
                .max(Comparator.comparing(BreakGlassGrant::expiresAt));
    }

    @Override
    public synchronized Optional<BreakGlassGrant> find(String id) {
        requireNonNull(id, "id");
        return grants.stream().filter(g -> g.id().equals(id)).findFirst();
    }

    @Override
    public synchronized List<BreakGlassGrant> allActive(Instant now, int limit) {
        requireNonNull(now, "now");
        if (limit < 1 || limit > 10_000) {
            throw new IllegalArgumentException("limit must be 1 to 10000");
        }
        return grants.stream()
                .filter(g -> g.activeAt(now))
                .sorted(Comparator.comparing(BreakGlassGrant::grantedAt).thenComparing(BreakGlassGrant::id))
                .limit(limit)
                .toList();
    }
}
