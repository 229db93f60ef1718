package io.carechat.messaging.memory;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.DueNotification;
import io.carechat.messaging.spi.NotificationStore;
import io.carechat.messaging.spi.PendingArrival;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * {@link NotificationStore} in memory, for one process (tests, or nodes sharing one in-memory
 * storage). Thread-safe: every method holds the store's lock.
 */
public final class InMemoryNotificationStore implements NotificationStore {

    /** Creates an empty store. */
    public InMemoryNotificationStore() {}

    /** One user's row. */
    private static final class Row {
        private @Nullable Instant dueAt;
        private long urgent;
        private long arrivals;
        private @Nullable Instant notifiedAt;
        private @Nullable String claimToken;
        private @Nullable Instant claimedUntil;
    }

    private final Map<UserId, Row> rows = new HashMap<>();

    @Override
    public synchronized void schedule(List<PendingArrival> arrivals) {
        Set<UserId> seen = new HashSet<>();
        for (PendingArrival arrival : arrivals) {
            if (!seen.add(requireNonNull(arrival, "arrival").userId())) {
                throw new IllegalArgumentException("at most one arrival per user");
            }
        }
        for (PendingArrival arrival : arrivals) {
            Row row = rows.computeIfAbsent(arrival.userId(), u -> new Row());
            if (row.dueAt == null) {
                row.dueAt = arrival.dueAt();
            }
            row.urgent += arrival.urgentMessages();
            row.arrivals++;
        }
    }

    @Override
    public synchronized List<DueNotification> claim(Instant now, Instant claimedUntil, int limit) {
        requireNonNull(now, "now");
        requireNonNull(claimedUntil, "claimedUntil");
        if (!claimedUntil.isAfter(now)) {
            throw new IllegalArgumentException("a claim must end after now");
        }
        if (limit < 1 || limit > 10_000) {
            throw new IllegalArgumentException("limit must be 1 to 10000, was " + limit);
        }
        List<Map.Entry<UserId, Row>> due = new ArrayList<>();
        for (Map.Entry<UserId, Row> entry : rows.entrySet()) {
            Row row = entry.getValue();
            if (row.dueAt != null && !row.dueAt.isAfter(now)
                    && (row.claimedUntil == null || !row.claimedUntil.isAfter(now))) {
                due.add(entry);
            }
        }
        due.sort(Comparator.comparing((Map.Entry<UserId, Row> e) -> requireNonNull(e.getValue().dueAt))
                .thenComparing(e -> e.getKey().value()));
        String token = UUID.randomUUID().toString();
        List<DueNotification> claimed = new ArrayList<>();
        for (Map.Entry<UserId, Row> entry : due.subList(0, Math.min(limit, due.size()))) {
            Row row = entry.getValue();
            row.claimToken = token;
            row.claimedUntil = claimedUntil;
            claimed.add(new DueNotification(entry.getKey(), row.urgent, row.arrivals, row.notifiedAt, token));
        }
        return claimed;
    }

    @Override
    public synchronized void complete(DueNotification claimed, @Nullable Instant notifiedAt) {
        Row row = held(claimed);
        if (row == null) {
            return;
        }
        if (row.arrivals == claimed.arrivals()) {
            row.dueAt = null;
            row.urgent = 0;
        } else {
            row.urgent = Math.max(0, row.urgent - claimed.urgentMessages());
        }
        if (notifiedAt != null) {
            row.notifiedAt = notifiedAt;
        }
        release(row);
    }

    @Override
    public synchronized void postpone(DueNotification claimed, Instant dueAt) {
        requireNonNull(dueAt, "dueAt");
        Row row = held(claimed);
        if (row == null) {
            return;
        }
        row.dueAt = dueAt;
        release(row);
    }

    private @Nullable Row held(DueNotification claimed) {
        Row row = rows.get(requireNonNull(claimed, "claimed").userId());
        return row != null && claimed.claimToken().equals(row.claimToken) ? row : null;
    }

    private static void release(Row row) {
        row.claimToken = null;
        row.claimedUntil = null;
    }
}
