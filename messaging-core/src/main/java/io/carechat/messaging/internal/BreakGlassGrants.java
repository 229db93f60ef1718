package io.carechat.messaging.internal;

import io.carechat.messaging.event.BreakGlassGranted;
import io.carechat.messaging.event.Resync;
import io.carechat.messaging.model.BreakGlassGrant;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.BreakGlassStore;
import io.carechat.messaging.spi.EventBus;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who holds break-glass access, judged from each grant's stored expiry at every check, so access
 * ends on every node at once without timers. Not API.
 *
 * <p>Two answers with two sources. Whether a user may act in a conversation ({@link #holds}) is
 * read from the store every time, so a grant made on another node counts at once. Whom a live
 * event is addressed to besides the members ({@link #holders}) is answered from memory, without
 * blocking: the grants active when this node started, then every {@link BreakGlassGranted} on
 * the bus (from any node), reloaded after a {@link Resync}; expired grants are dropped as they
 * are met. A grant reaches live sessions on another node once its event has crossed the bus.
 *
 * <p>Thread-safe. Lifecycle: listens to the bus from creation until {@link #close()}.
 */
public final class BreakGlassGrants implements AutoCloseable {
    /** The most active grants loaded into memory at start and on a resync. */
    static final int LOAD_LIMIT = 10_000;

    /** A remembered grant: who, until when. */
    private record Holder(UserId userId, Instant expiresAt) {}

    private static final Logger LOG = LoggerFactory.getLogger(BreakGlassGrants.class);

    private final BreakGlassStore store;
    private final Clock clock;
    private final Map<ConversationId, List<Holder>> live = new ConcurrentHashMap<>();
    private final EventBus.Subscription subscription;

    /**
     * Loads the active grants and subscribes to the bus.
     *
     * @param store the grants
     * @param clock judges expiry
     * @param bus carries {@link BreakGlassGranted} and {@link Resync}
     */
    public BreakGlassGrants(BreakGlassStore store, Clock clock, EventBus bus) {
        this.store = store;
        this.clock = clock;
        reload();
        this.subscription = bus.subscribe(event -> {
            if (event instanceof BreakGlassGranted granted) {
                remember(granted.conversationId(), granted.doctorId(), granted.expiresAt());
            } else if (event instanceof Resync) {
                reload();
            }
        });
    }

    /**
     * The user's grant on a conversation that holds now, read from the store.
     *
     * @param conversationId the conversation
     * @param userId the user
     * @return the grant, or empty
     */
    public Optional<BreakGlassGrant> active(ConversationId conversationId, UserId userId) {
        return store.active(conversationId, userId, clock.instant());
    }

    /**
     * Tells whether the user holds a grant on a conversation now, read from the store.
     *
     * @param conversationId the conversation
     * @param userId the user
     * @return true while access lasts
     */
    public boolean holds(ConversationId conversationId, UserId userId) {
        return active(conversationId, userId).isPresent();
    }

    /**
     * The users holding an active grant on a conversation, from memory: for addressing live
     * events. Never reads the store.
     *
     * @param conversationId the conversation
     * @return the holders, empty for most conversations
     */
    public List<UserId> holders(ConversationId conversationId) {
        List<Holder> known = live.get(conversationId);
        if (known == null) {
            return List.of();
        }
        Instant now = clock.instant();
        List<UserId> holders = new ArrayList<>(known.size());
        boolean expired = false;
        for (Holder h : known) {
            if (now.isBefore(h.expiresAt())) {
                if (!holders.contains(h.userId())) {
                    holders.add(h.userId());
                }
            } else {
                expired = true;
            }
        }
        if (expired) {
            live.computeIfPresent(conversationId, (id, list) -> {
                List<Holder> kept = list.stream().filter(h -> now.isBefore(h.expiresAt())).toList();
                return kept.isEmpty() ? null : kept;
            });
        }
        return holders;
    }

    /**
     * Remembers a grant made on this node at once, before its event comes back from the bus.
     *
     * @param grant the grant
     */
    public void remember(BreakGlassGrant grant) {
        remember(grant.conversationId(), grant.doctorId(), grant.expiresAt());
    }

    private void remember(ConversationId conversationId, UserId userId, Instant expiresAt) {
        Holder holder = new Holder(userId, expiresAt);
        live.merge(conversationId, List.of(holder), (old, added) -> {
            if (old.contains(holder)) {
                return old;
            }
            List<Holder> merged = new ArrayList<>(old);
            merged.add(holder);
            return List.copyOf(merged);
        });
    }

    /** Reads the active grants; when the store cannot be read, live events reach members only until the next resync. */
    private void reload() {
        List<BreakGlassGrant> active;
        try {
            active = store.allActive(clock.instant(), LOAD_LIMIT);
        } catch (RuntimeException e) {
            LOG.warn("could not load the active break-glass grants ({})", e.getClass().getName());
            return;
        }
        Map<ConversationId, List<Holder>> loaded = new ConcurrentHashMap<>();
        for (BreakGlassGrant g : active) {
            loaded.merge(g.conversationId(), List.of(new Holder(g.doctorId(), g.expiresAt())), (a, b) -> {
                List<Holder> merged = new ArrayList<>(a);
                merged.addAll(b);
                return List.copyOf(merged);
            });
        }
        live.clear();
        live.putAll(loaded);
    }

    /** Stops listening to the bus. Idempotent. */
    @Override
    public void close() {
        subscription.close();
    }
}
