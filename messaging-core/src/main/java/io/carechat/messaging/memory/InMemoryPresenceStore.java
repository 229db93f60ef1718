package io.carechat.messaging.memory;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.spi.NodePresence;
import io.carechat.messaging.spi.PresenceStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link PresenceStore} in memory, for one process (tests, or nodes sharing one in-memory storage).
 * Thread-safe: every method holds the store's lock.
 */
public final class InMemoryPresenceStore implements PresenceStore {
    private record NodeWord(Instant leaseUntil, List<NodePresence> users) {}

    private final Map<String, NodeWord> nodes = new HashMap<>();

    /** Creates an empty store. */
    public InMemoryPresenceStore() {}

    @Override
    public synchronized void replace(String nodeId, List<NodePresence> users, Instant leaseUntil) {
        requireNonNull(nodeId, "nodeId");
        requireNonNull(leaseUntil, "leaseUntil");
        for (NodePresence user : users) {
            if (!user.nodeId().equals(nodeId)) {
                throw new IllegalArgumentException("an entry of node " + user.nodeId() + " given for node " + nodeId);
            }
        }
        nodes.put(nodeId, new NodeWord(leaseUntil, List.copyOf(users)));
    }

    @Override
    public synchronized boolean renew(String nodeId, Instant leaseUntil) {
        requireNonNull(leaseUntil, "leaseUntil");
        NodeWord word = nodes.get(requireNonNull(nodeId, "nodeId"));
        if (word == null) {
            return false;
        }
        nodes.put(nodeId, new NodeWord(leaseUntil, word.users()));
        return true;
    }

    @Override
    public synchronized List<NodePresence> live(Instant now) {
        requireNonNull(now, "now");
        List<NodePresence> live = new ArrayList<>();
        for (NodeWord word : nodes.values()) {
            if (word.leaseUntil().isAfter(now)) {
                live.addAll(word.users());
            }
        }
        return live;
    }

    @Override
    public synchronized int forgetExpired(Instant now) {
        requireNonNull(now, "now");
        int before = nodes.size();
        nodes.values().removeIf(word -> word.leaseUntil().isBefore(now));
        return before - nodes.size();
    }

    @Override
    public synchronized void leave(String nodeId) {
        nodes.remove(requireNonNull(nodeId, "nodeId"));
    }
}
