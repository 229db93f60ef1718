package io.carechat.messaging.jdbc.internal;

import static io.carechat.messaging.jdbc.internal.StorageFailures.call;
import static io.carechat.messaging.jdbc.internal.StorageFailures.run;
import static java.util.Objects.requireNonNull;

import io.carechat.messaging.error.UnavailableException;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.DueNotification;
import io.carechat.messaging.spi.NotificationStore;
import io.carechat.messaging.spi.PendingArrival;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Update;
import org.jspecify.annotations.Nullable;

/**
 * {@link NotificationStore} on the {@code offline_notifications} table. A schedule is one
 * transaction of two batches (update the users who have a row, insert the others); a claim is a
 * query for candidates and one batch of conditional updates, each of which only one node can win;
 * a completion or postponement is one or two single-row updates guarded by the claim token. Not
 * API. Thread-safe; every call takes its own handle.
 */
public final class JdbiNotificationStore implements NotificationStore {
    private static final int SCHEDULE_ATTEMPTS = 3;

    private final Jdbi jdbi;
    private final SqlTemplates sql;
    private final Dialect dialect;

    /**
     * Creates the store.
     *
     * @param jdbi the database
     * @param sql renders the table prefix
     * @param dialect what differs per database
     */
    public JdbiNotificationStore(Jdbi jdbi, SqlTemplates sql, Dialect dialect) {
        this.jdbi = requireNonNull(jdbi, "jdbi");
        this.sql = requireNonNull(sql, "sql");
        this.dialect = requireNonNull(dialect, "dialect");
    }

    @Override
    public void schedule(List<PendingArrival> arrivals) {
        Set<UserId> seen = new HashSet<>();
        for (PendingArrival arrival : arrivals) {
            if (!seen.add(requireNonNull(arrival, "arrival").userId())) {
                throw new IllegalArgumentException("at most one arrival per user");
            }
        }
        if (arrivals.isEmpty()) {
            return;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                run(() -> jdbi.useTransaction(h -> scheduleIn(h, arrivals)));
                return;
            } catch (UnavailableException e) {
                // Another node inserted a user's first row meanwhile: the next attempt updates it.
                if (!dialect.isUniqueViolation(e) || attempt == SCHEDULE_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private void scheduleIn(Handle h, List<PendingArrival> arrivals) {
        PreparedBatch update = h.prepareBatch(sql.render("UPDATE ${p}offline_notifications"
                + " SET due_at = COALESCE(due_at, :due), urgent = urgent + :urgent, arrivals = arrivals + 1"
                + " WHERE user_id = :user"));
        for (PendingArrival arrival : arrivals) {
            update.bind("due", dialect.timestamp(arrival.dueAt()))
                    .bind("urgent", arrival.urgentMessages())
                    .bind("user", arrival.userId().value())
                    .add();
        }
        int[] updated = update.execute();
        PreparedBatch insert = h.prepareBatch(sql.render("INSERT INTO ${p}offline_notifications"
                + " (user_id, due_at, urgent, arrivals) VALUES (:user, :due, :urgent, 1)"));
        boolean any = false;
        for (int i = 0; i < arrivals.size(); i++) {
            if (updated[i] == 0) {
                PendingArrival arrival = arrivals.get(i);
                insert.bind("user", arrival.userId().value())
                        .bind("due", dialect.timestamp(arrival.dueAt()))
                        .bind("urgent", arrival.urgentMessages())
                        .add();
                any = true;
            }
        }
        if (any) {
            insert.execute();
        }
    }

    @Override
    public List<DueNotification> claim(Instant now, Instant claimedUntil, int limit) {
        requireNonNull(now, "now");
        requireNonNull(claimedUntil, "claimedUntil");
        if (!claimedUntil.isAfter(now)) {
            throw new IllegalArgumentException("a claim must end after now");
        }
        if (limit < 1 || limit > 10_000) {
            throw new IllegalArgumentException("limit must be 1 to 10000, was " + limit);
        }
        String token = UUID.randomUUID().toString();
        return call(() -> jdbi.withHandle(h -> {
            List<String> candidates = h.createQuery(sql.render("SELECT user_id FROM ${p}offline_notifications"
                            + " WHERE due_at <= :now AND (claimed_until IS NULL OR claimed_until <= :now)"
                            + " ORDER BY due_at, user_id" + dialect.limit(":limit")))
                    .bind("now", dialect.timestamp(now))
                    .bind("limit", limit)
                    .mapTo(String.class)
                    .list();
            if (candidates.isEmpty()) {
                return List.<DueNotification>of();
            }
            PreparedBatch take = h.prepareBatch(sql.render("UPDATE ${p}offline_notifications"
                    + " SET claim_token = :token, claimed_until = :until WHERE user_id = :user"
                    + " AND due_at <= :now AND (claimed_until IS NULL OR claimed_until <= :now)"));
            for (String user : candidates) {
                take.bind("token", token)
                        .bind("until", dialect.timestamp(claimedUntil))
                        .bind("user", user)
                        .bind("now", dialect.timestamp(now))
                        .add();
            }
            int[] taken = take.execute();
            boolean any = false;
            for (int count : taken) {
                any |= count > 0;
            }
            if (!any) {
                return List.<DueNotification>of();
            }
            List<DueNotification> claimed = new ArrayList<>(h.createQuery(sql.render(
                            "SELECT user_id, urgent, arrivals, notified_at, due_at FROM ${p}offline_notifications"
                                    + " WHERE claim_token = :token ORDER BY due_at, user_id"))
                    .bind("token", token)
                    .map((rs, ctx) -> new DueNotification(UserId.of(rs.getString("user_id")), rs.getLong("urgent"),
                            rs.getLong("arrivals"), Rows.nullableInstant(rs, "notified_at"), token))
                    .list());
            return claimed;
        }));
    }

    @Override
    public void complete(DueNotification claimed, @Nullable Instant notifiedAt) {
        requireNonNull(claimed, "claimed");
        String notified = notifiedAt == null ? "" : ", notified_at = :notified";
        run(() -> jdbi.useTransaction(h -> {
            Update clear = h.createUpdate(sql.render("UPDATE ${p}offline_notifications SET due_at = NULL, urgent = 0"
                            + notified + ", claim_token = NULL, claimed_until = NULL"
                            + " WHERE user_id = :user AND claim_token = :token AND arrivals = :arrivals"))
                    .bind("arrivals", claimed.arrivals());
            if (bindClaim(clear, claimed, notifiedAt).execute() == 0) {
                Update keep = h.createUpdate(sql.render("UPDATE ${p}offline_notifications"
                                + " SET urgent = CASE WHEN urgent > :urgent THEN urgent - :urgent ELSE 0 END"
                                + notified + ", claim_token = NULL, claimed_until = NULL"
                                + " WHERE user_id = :user AND claim_token = :token"))
                        .bind("urgent", claimed.urgentMessages());
                bindClaim(keep, claimed, notifiedAt).execute();
            }
        }));
    }

    private Update bindClaim(Update update, DueNotification claimed, @Nullable Instant notifiedAt) {
        update.bind("user", claimed.userId().value()).bind("token", claimed.claimToken());
        if (notifiedAt != null) {
            update.bind("notified", dialect.timestamp(notifiedAt));
        }
        return update;
    }

    @Override
    public void postpone(DueNotification claimed, Instant dueAt) {
        requireNonNull(claimed, "claimed");
        requireNonNull(dueAt, "dueAt");
        run(() -> jdbi.useHandle(h -> h.createUpdate(sql.render("UPDATE ${p}offline_notifications"
                        + " SET due_at = :due, claim_token = NULL, claimed_until = NULL"
                        + " WHERE user_id = :user AND claim_token = :token"))
                .bind("due", dialect.timestamp(dueAt))
                .bind("user", claimed.userId().value())
                .bind("token", claimed.claimToken())
                .execute()));
    }
}
