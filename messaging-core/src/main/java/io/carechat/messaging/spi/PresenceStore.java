package io.carechat.messaging.spi;

import java.time.Instant;
import java.util.List;

/**
 * Cluster-wide presence under a lease. Each node writes which users it holds live sessions of, and
 * keeps renewing a lease on what it wrote; a node that stops renewing (killed, cut off) has its
 * users forgotten once its lease ends, so they show offline on every other node after a bounded
 * time. Nodes read every live node's users to learn who is online elsewhere, also when they start
 * after those users connected. The event bus carries each change at once; this store is what a
 * node falls back on when it missed events, and what ends a lost node's presence.
 *
 * <p>Implementations must be thread-safe.
 */
public interface PresenceStore {

    /**
     * Replaces everything a node said of its users with {@code users}, and sets its lease, as one
     * change.
     *
     * @param nodeId the node
     * @param users its users now, each with the node's id
     * @param leaseUntil when the node's word ends unless renewed
     */
    void replace(String nodeId, List<NodePresence> users, Instant leaseUntil);

    /**
     * Extends a node's lease when nothing it said has changed.
     *
     * @param nodeId the node
     * @param leaseUntil the new end of its lease
     * @return false when the store no longer knows the node (its lease had ended and it was
     *     forgotten), so it must {@link #replace} its users again
     */
    boolean renew(String nodeId, Instant leaseUntil);

    /**
     * What every node whose lease runs past {@code now} says.
     *
     * @param now the current time
     * @return one entry per user and node
     */
    List<NodePresence> live(Instant now);

    /**
     * Forgets the nodes whose lease ended before {@code now}, with their users.
     *
     * @param now the current time
     * @return how many nodes were forgotten
     */
    int forgetExpired(Instant now);

    /**
     * Forgets a node and its users at once, as when it shuts down cleanly.
     *
     * @param nodeId the node
     */
    void leave(String nodeId);
}
