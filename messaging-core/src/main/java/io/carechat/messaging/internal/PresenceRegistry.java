package io.carechat.messaging.internal;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.error.MessagingException;
import io.carechat.messaging.event.PresenceChanged;
import io.carechat.messaging.model.Presence;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.EventBus;
import io.carechat.messaging.spi.NodePresence;
import io.carechat.messaging.spi.PresenceStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Knows every user's availability across the cluster. Each node's changes come on the bus as
 * {@link PresenceChanged} with the node's id, and are kept per user and node: a user is shown with
 * the availability they set last on any node, and offline only when no node holds a session of
 * theirs.
 *
 * <p>With a {@link PresenceStore} and a lease, {@link #refresh()} (run on a timer every third of the
 * lease) writes this node's users to the store and renews the node's lease, then reads every live
 * node's users: a node that starts learns who is online elsewhere, missed events are made good, and
 * the users of a node that stopped renewing (killed, cut off) show offline everywhere once its lease
 * has ended and the next refresh ran, that is within the lease and a third. What a refresh changes
 * is handed to this facade's listeners as {@link PresenceChanged} events. Without a store the
 * registry knows only what the bus told it.
 *
 * <p>Not API. Thread-safe: the per-user view is guarded by the registry's lock; {@link #refresh()}
 * does its storage work outside it. Lifecycle: listens to the bus from creation; {@link #close()}
 * stops listening and, with a store, forgets this node's users there.
 */
public final class PresenceRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PresenceRegistry.class);

    /** One node's word on one user: what, when it was set, and when this node heard it on the bus. */
    private record Entry(Presence presence, Instant changedAt, @Nullable Instant heardAt) {}

    private final EventBus bus;
    private final String nodeId;
    private final Clock clock;
    private final @Nullable PresenceStore store;
    private final Duration lease;
    private final Consumer<PresenceChanged> refreshed;
    private final EventBus.Subscription subscription;
    /** Per user, per node. Guarded by {@code this}. */
    private final Map<UserId, Map<String, Entry>> entries = new HashMap<>();
    /** Bumped on every change of this node's own users. Guarded by {@code this}. */
    private long ownVersion;
    /** The own version the store last took; -1 when it must be written in full. Refresh thread only. */
    private long writtenVersion = -1;
    private boolean storeFailing;

    private PresenceRegistry(EventBus bus, String nodeId, Clock clock, @Nullable PresenceStore store, Duration lease,
            Consumer<PresenceChanged> refreshed) {
        this.bus = requireNonNull(bus, "bus");
        this.nodeId = requireNonNull(nodeId, "nodeId");
        this.clock = requireNonNull(clock, "clock");
        this.store = store;
        this.lease = requireNonNull(lease, "lease");
        this.refreshed = requireNonNull(refreshed, "refreshed");
        this.subscription = bus.subscribe(event -> {
            if (event instanceof PresenceChanged changed) {
                heard(changed);
            }
        });
    }

    /**
     * A registry that knows only what the bus tells it.
     *
     * @param bus the event bus
     * @param nodeId this node's id
     * @param clock the clock
     * @return the registry, listening
     */
    public static PresenceRegistry onBus(EventBus bus, String nodeId, Clock clock) {
        return new PresenceRegistry(bus, nodeId, clock, null, Duration.ZERO, e -> {});
    }

    /**
     * A registry that also keeps presence in a store under a lease; run {@link #refresh()} every
     * {@link #refreshInterval()}.
     *
     * @param bus the event bus
     * @param nodeId this node's id
     * @param clock the clock
     * @param store the cluster's presence store
     * @param lease how long this node's word stands without a refresh; positive
     * @param refreshed told of each user whose shown availability a refresh changed
     * @return the registry, listening
     */
    public static PresenceRegistry leased(EventBus bus, String nodeId, Clock clock, PresenceStore store,
            Duration lease, Consumer<PresenceChanged> refreshed) {
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("the presence lease must be positive");
        }
        return new PresenceRegistry(bus, nodeId, clock, requireNonNull(store, "store"), lease, refreshed);
    }

    /**
     * How often {@link #refresh()} should run: a third of the lease.
     *
     * @return the interval
     */
    public Duration refreshInterval() {
        return lease.dividedBy(3);
    }

    private synchronized void heard(PresenceChanged changed) {
        Instant now = clock.instant();
        entries.computeIfAbsent(changed.userId(), u -> new HashMap<>())
                .put(changed.nodeId(), new Entry(changed.presence(), now, now));
        if (changed.nodeId().equals(nodeId)) {
            ownVersion++;
        }
    }

    /**
     * Announces a user's new availability on this node on the bus; the registry learns it from there.
     *
     * @param userId the user
     * @param presence the availability, {@link Presence#OFFLINE} when this node holds no session of
     *     the user any more
     */
    public void announce(UserId userId, Presence presence) {
        bus.publish(new PresenceChanged(userId, presence, nodeId));
    }

    /**
     * A user's availability: the one set last on any node that holds a session of theirs.
     *
     * @param userId the user
     * @return the availability, {@link Presence#OFFLINE} when no node holds a session of theirs
     */
    public synchronized Presence of(UserId userId) {
        return shown(entries.get(userId));
    }

    private static Presence shown(@Nullable Map<String, Entry> byNode) {
        if (byNode == null) {
            return Presence.OFFLINE;
        }
        Entry latest = null;
        for (Entry entry : byNode.values()) {
            if (entry.presence() != Presence.OFFLINE
                    && (latest == null || entry.changedAt().isAfter(latest.changedAt()))) {
                latest = entry;
            }
        }
        return latest == null ? Presence.OFFLINE : latest.presence();
    }

    /**
     * Writes this node's users to the store and renews its lease, forgets nodes whose lease ended,
     * and takes every live node's users from the store. What other nodes said on the bus within the
     * last two refresh intervals stands over the store, which can be that much behind. A store that
     * fails leaves the view as it is (logged once until it works again). Call it from one thread.
     */
    public void refresh() {
        PresenceStore s = store;
        if (s == null) {
            return;
        }
        Instant now = clock.instant();
        List<NodePresence> live;
        try {
            writeOwn(s, now);
            s.forgetExpired(now);
            live = s.live(now);
            if (storeFailing) {
                LOG.info("cluster presence is kept in the store again");
                storeFailing = false;
            }
        } catch (MessagingException e) {
            writtenVersion = -1;
            if (!storeFailing) {
                LOG.warn("could not keep cluster presence in the store ({}); trying again in {} ms",
                        e.code(), refreshInterval().toMillis());
                storeFailing = true;
            }
            return;
        }
        for (PresenceChanged change : takeLive(live, now)) {
            refreshed.accept(change);
        }
    }

    private void writeOwn(PresenceStore s, Instant now) {
        long version;
        List<NodePresence> own = new ArrayList<>();
        synchronized (this) {
            version = ownVersion;
            entries.forEach((user, byNode) -> {
                Entry entry = byNode.get(nodeId);
                if (entry != null && entry.presence() != Presence.OFFLINE) {
                    own.add(new NodePresence(nodeId, user, entry.presence(), entry.changedAt()));
                }
            });
        }
        Instant leaseUntil = now.plus(lease);
        if (version != writtenVersion || !s.renew(nodeId, leaseUntil)) {
            s.replace(nodeId, own, leaseUntil);
        }
        writtenVersion = version;
    }

    /** Replaces other nodes' entries by the store's, but for fresh bus news; returns the changes shown. */
    private synchronized List<PresenceChanged> takeLive(List<NodePresence> live, Instant now) {
        Instant freshSince = now.minus(refreshInterval().multipliedBy(2));
        Map<UserId, Map<String, Entry>> stored = new HashMap<>();
        for (NodePresence p : live) {
            if (!p.nodeId().equals(nodeId)) {
                stored.computeIfAbsent(p.userId(), u -> new HashMap<>())
                        .put(p.nodeId(), new Entry(p.presence(), p.changedAt(), null));
            }
        }
        Set<UserId> users = new HashSet<>(entries.keySet());
        users.addAll(stored.keySet());
        List<PresenceChanged> changes = new ArrayList<>();
        for (UserId user : users) {
            Map<String, Entry> before = entries.get(user);
            Presence shownBefore = shown(before);
            Map<String, Entry> after = new HashMap<>(stored.getOrDefault(user, Map.of()));
            if (before != null) {
                before.forEach((node, entry) -> {
                    boolean fresh = entry.heardAt() != null && entry.heardAt().isAfter(freshSince);
                    if (node.equals(nodeId) ? entry.presence() != Presence.OFFLINE || fresh : fresh) {
                        after.put(node, entry);
                    }
                });
            }
            if (after.isEmpty()) {
                entries.remove(user);
            } else {
                entries.put(user, after);
            }
            Presence shownAfter = shown(after);
            if (shownAfter != shownBefore) {
                changes.add(new PresenceChanged(user, shownAfter, nodeId));
            }
        }
        return changes;
    }

    /** Stops listening to the bus and, with a store, forgets this node's users there. Idempotent. */
    @Override
    public void close() {
        subscription.close();
        PresenceStore s = store;
        if (s != null) {
            try {
                s.leave(nodeId);
            } catch (MessagingException e) {
                LOG.debug("could not forget this node's presence ({}); its lease ends it", e.code());
            }
        }
    }
}
