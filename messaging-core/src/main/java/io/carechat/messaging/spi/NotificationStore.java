package io.carechat.messaging.spi;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Keeps, per user, whether a notice through the {@link Notifier} is pending, from when it is due,
 * and when the user was last notified, so that every node of a cluster shares one schedule and a
 * user is notified once, not once per node. There is at most one row per user.
 *
 * <p>Nodes add what arrived for offline users in batches ({@link #schedule}), after the messages'
 * commits, never inside a send's transaction. Each node then claims the notices that are due
 * ({@link #claim}): a claim is a conditional update, so of nodes claiming at the same time exactly
 * one gets each user. The claimant decides, and hands the user back with {@link #complete} (sent,
 * or nothing to send) or {@link #postpone} (in the quiet period). A claim that is never handed back
 * (the node died) ends at its {@code claimedUntil}, and the notice is claimable again.
 *
 * <p>Implementations are thread-safe; the kit's {@code NotificationStoreContract} checks them.
 * Reference implementations: {@code InMemoryNotificationStore} and the JDBC adapter's
 * {@code JdbcStorage.notifications()}.
 */
public interface NotificationStore {

    /**
     * Adds arrivals to users' pending notices, as one change. A user with nothing pending becomes
     * due at the arrival's {@code dueAt}; a user with a notice already pending keeps its due time
     * (the first arrival of a window sets it) and adds the urgent count. Every arrival counts one
     * more in the user's {@link DueNotification#arrivals()}.
     *
     * @param arrivals at most one per user
     */
    void schedule(List<PendingArrival> arrivals);

    /**
     * Claims pending notices due at {@code now} that no live claim holds, oldest due first.
     *
     * @param now the current time
     * @param claimedUntil when the claim ends if not handed back; after {@code now}
     * @param limit the most to claim, 1 to 10,000
     * @return the notices this caller now holds, each with one new claim token
     */
    List<DueNotification> claim(Instant now, Instant claimedUntil, int limit);

    /**
     * Hands back a claimed notice as done: what the claim covered is no longer pending, and the
     * claim ends. When more arrived since the claim ({@code arrivals} grew), that stays pending,
     * with the due time it had. Nothing happens when the claim is no longer held.
     *
     * @param claimed the notice as claimed
     * @param notifiedAt when the user was sent a notice for it, or null when none was sent (the
     *     user was online or had read everything)
     */
    void complete(DueNotification claimed, @Nullable Instant notifiedAt);

    /**
     * Hands back a claimed notice still pending, due later, as at the end of a quiet period. The
     * claim ends. Nothing happens when the claim is no longer held.
     *
     * @param claimed the notice as claimed
     * @param dueAt when it is due now
     */
    void postpone(DueNotification claimed, Instant dueAt);
}
