package io.carechat.messaging.internal;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.error.MessagingException;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.Presence;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.model.UnreadCounts;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.notify.NotificationSettings;
import io.carechat.messaging.notify.NotificationStats;
import io.carechat.messaging.spi.DueNotification;
import io.carechat.messaging.spi.NotificationStore;
import io.carechat.messaging.spi.Notifier;
import io.carechat.messaging.spi.OfflineNotice;
import io.carechat.messaging.spi.PendingArrival;
import io.carechat.messaging.spi.ReceiptStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells offline users through the {@link Notifier} that messages wait for them. The send path only
 * notes, after each commit, which members a message reached ({@link #arrived}, a map update in
 * memory). Every check interval, on the facade's timer, {@link #check()} writes what was noted for
 * users who are offline anywhere in the cluster to the {@link NotificationStore} in one batch,
 * then claims the notices that are due and decides each one: a user online again, with a disabled
 * or deleted account, or with nothing unread, is dropped; one in the quiet period after their last
 * notice is put off to its end; the others get one {@link OfflineNotice} with their unread counts,
 * handed to the notifier on its own executor. The claim is stored, so in a cluster sharing a store each notice is sent by one node.
 *
 * <p>At most once: the notice is recorded as sent before the notifier is called, so a notifier
 * that fails is not called again for the same messages. What a node noted but had not written
 * when it died is not notified.
 *
 * <p>Not API. Thread-safe: {@link #arrived} from any thread, {@link #check()} from one thread at a
 * time. Lifecycle: created by the facade; {@link #close()} stops it handing out notices.
 */
public final class OfflineNotifications implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OfflineNotifications.class);
    private static final int CLAIM_LIMIT = 500;

    /** What arrived for one user since the last write: when the first came, how many urgent. */
    private record Noted(Instant firstAt, long urgent) {
        Noted plus(Noted other) {
            return new Noted(firstAt.isBefore(other.firstAt) ? firstAt : other.firstAt, urgent + other.urgent);
        }
    }

    private final @Nullable Notifier notifier;
    private final @Nullable NotificationSettings settings;
    private final @Nullable NotificationStore store;
    private final ReceiptStore receipts;
    private final Function<UserId, Presence> presence;
    private final Predicate<UserId> enabled;
    private final Clock clock;
    private final @Nullable Executor calls;
    private final Map<UserId, Noted> noted = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong storeFailures = new AtomicLong();
    private volatile boolean closed;
    /** Whether the last check failed on storage; read and written by the checking thread only. */
    private boolean storeFailing;

    private OfflineNotifications(@Nullable Notifier notifier, @Nullable NotificationSettings settings,
            @Nullable NotificationStore store, ReceiptStore receipts, Function<UserId, Presence> presence,
            Predicate<UserId> enabled, Clock clock, @Nullable Executor calls) {
        this.notifier = notifier;
        this.settings = settings;
        this.store = store;
        this.receipts = requireNonNull(receipts, "receipts");
        this.presence = requireNonNull(presence, "presence");
        this.enabled = requireNonNull(enabled, "enabled");
        this.clock = requireNonNull(clock, "clock");
        this.calls = calls;
    }

    /**
     * Offline notifications that are off: {@link #arrived} notes nothing.
     *
     * @param receipts unused
     * @param clock unused
     * @return the instance
     */
    public static OfflineNotifications off(ReceiptStore receipts, Clock clock) {
        return new OfflineNotifications(null, null, null, receipts, u -> Presence.OFFLINE, u -> false, clock, null);
    }

    /**
     * Offline notifications that are on.
     *
     * @param notifier tells the users
     * @param settings the delay, quiet period and deep link
     * @param store the schedule, shared by the cluster
     * @param receipts answers unread counts
     * @param presence a user's availability anywhere in the cluster
     * @param enabled whether a user's stored account exists and is enabled; others are not told
     * @param clock the time source
     * @param calls runs the notifier's calls
     * @return the instance; run {@link #check()} every {@link NotificationSettings#checkInterval()}
     */
    public static OfflineNotifications on(Notifier notifier, NotificationSettings settings, NotificationStore store,
            ReceiptStore receipts, Function<UserId, Presence> presence, Predicate<UserId> enabled, Clock clock,
            Executor calls) {
        return new OfflineNotifications(requireNonNull(notifier, "notifier"), requireNonNull(settings, "settings"),
                requireNonNull(store, "store"), receipts, presence, enabled, clock, requireNonNull(calls, "calls"));
    }

    /**
     * Notes, after its commit, that a message reached its recipients; the sender is left out. Cheap:
     * one map update per recipient, no storage.
     *
     * @param message the committed message
     * @param recipients the conversation's members it was published to
     */
    public void arrived(Message message, List<UserId> recipients) {
        if (notifier == null || closed) {
            return;
        }
        Noted one = new Noted(message.sentAt(), message.priority() == Priority.URGENT ? 1 : 0);
        for (UserId recipient : recipients) {
            if (!recipient.equals(message.senderId())) {
                noted.merge(recipient, one, Noted::plus);
            }
        }
    }

    /**
     * Writes what was noted for offline users, then decides the notices that are due. A storage
     * failure is logged (once until storage works again) and counted; what was noted is kept for the
     * next check, and claimed notices become claimable again when their claim ends.
     */
    public void check() {
        NotificationStore s = store;
        NotificationSettings config = settings;
        if (s == null || config == null || closed) {
            return;
        }
        try {
            write(s, config);
            decideDue(s, config);
            if (storeFailing) {
                LOG.info("offline notifications are kept in the store again");
                storeFailing = false;
            }
        } catch (MessagingException e) {
            storeFailures.incrementAndGet();
            if (!storeFailing) {
                LOG.warn("could not keep offline notifications in the store ({}); trying again in {} ms", e.code(),
                        config.checkInterval().toMillis());
                storeFailing = true;
            }
        }
    }

    private void write(NotificationStore s, NotificationSettings config) {
        Map<UserId, Noted> taken = new HashMap<>();
        for (UserId user : List.copyOf(noted.keySet())) {
            Noted n = noted.remove(user);
            if (n != null) {
                taken.put(user, n);
            }
        }
        List<PendingArrival> arrivals = new ArrayList<>();
        taken.forEach((user, n) -> {
            if (presence.apply(user) == Presence.OFFLINE) {
                arrivals.add(new PendingArrival(user, n.firstAt().plus(config.delay()), n.urgent()));
            }
        });
        if (arrivals.isEmpty()) {
            return;
        }
        try {
            s.schedule(arrivals);
        } catch (MessagingException e) {
            taken.forEach((user, n) -> noted.merge(user, n, Noted::plus));
            throw e;
        }
    }

    private void decideDue(NotificationStore s, NotificationSettings config) {
        Instant now = clock.instant();
        for (DueNotification due : s.claim(now, now.plus(NotificationSettings.CLAIM), CLAIM_LIMIT)) {
            if (closed) {
                return;
            }
            decide(s, config, due, now);
        }
    }

    private void decide(NotificationStore s, NotificationSettings config, DueNotification due, Instant now) {
        if (presence.apply(due.userId()) != Presence.OFFLINE) {
            s.complete(due, null);
            return;
        }
        Instant notifiedAt = due.notifiedAt();
        if (notifiedAt != null && notifiedAt.plus(config.quietPeriod()).isAfter(now)) {
            s.postpone(due, notifiedAt.plus(config.quietPeriod()));
            return;
        }
        if (!enabled.test(due.userId())) {
            s.complete(due, null);
            return;
        }
        UnreadCounts unread = receipts.unread(due.userId());
        if (unread.total() == 0) {
            s.complete(due, null);
            return;
        }
        int conversations = unread.perConversation().size();
        String only = conversations == 1 ? unread.perConversation().keySet().iterator().next().value() : null;
        OfflineNotice notice = new OfflineNotice(due.userId(), unread.total(), conversations,
                Math.min(due.urgentMessages(), unread.total()), config.deepLink(only), now);
        s.complete(due, now);
        hand(notice, config);
    }

    private void hand(OfflineNotice notice, NotificationSettings config) {
        Notifier n = requireNonNull(notifier);
        if (inFlight.incrementAndGet() > config.maxCallsInFlight()) {
            inFlight.decrementAndGet();
            failed.incrementAndGet();
            LOG.warn("offline notice for {} not sent: {} notifier calls are in flight already", notice.recipient().value(),
                    config.maxCallsInFlight());
            return;
        }
        try {
            requireNonNull(calls).execute(() -> call(n, notice));
        } catch (RejectedExecutionException e) {
            inFlight.decrementAndGet();
            failed.incrementAndGet();
            LOG.warn("offline notice for {} not sent: the notifier's executor refused it", notice.recipient().value());
        }
    }

    private void call(Notifier n, OfflineNotice notice) {
        try {
            n.deliver(notice);
            delivered.incrementAndGet();
        } catch (RuntimeException e) {
            failed.incrementAndGet();
            LOG.warn("the notifier failed on the offline notice for {} ({})", notice.recipient().value(),
                    e.getClass().getName());
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /**
     * What this instance did so far.
     *
     * @return the counts
     */
    public NotificationStats stats() {
        return new NotificationStats(delivered.get(), failed.get(), storeFailures.get());
    }

    /**
     * Stops noting arrivals and handing out notices, after writing once more what was noted, so a
     * node that shuts down cleanly leaves those notices to the others. Calls already handed to the
     * executor run. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        NotificationStore s = store;
        NotificationSettings config = settings;
        if (s != null && config != null) {
            try {
                write(s, config);
            } catch (MessagingException e) {
                LOG.debug("could not write the last arrivals for offline notifications ({})", e.code());
            }
        }
        noted.clear();
    }
}
