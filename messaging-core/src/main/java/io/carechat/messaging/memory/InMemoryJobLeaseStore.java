package io.carechat.messaging.memory;

import io.carechat.messaging.spi.JobLeaseChecks;
import io.carechat.messaging.spi.JobLeaseStore;
import io.carechat.messaging.spi.JobRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * {@link JobLeaseStore} in memory, for one process (tests, or schedulers sharing one in-memory
 * storage). Thread-safe: every method holds the store's lock, which makes each claim atomic.
 */
public final class InMemoryJobLeaseStore implements JobLeaseStore {
    private final TreeMap<String, JobRecord> rows = new TreeMap<>();

    /** Creates an empty store. */
    public InMemoryJobLeaseStore() {}

    @Override
    public synchronized Optional<JobRecord> claim(String jobName, String holder, Instant now, Instant leaseUntil,
            Instant dueIfEndedBy) {
        JobLeaseChecks.claim(jobName, holder, now, leaseUntil, dueIfEndedBy);
        JobRecord row = rows.get(jobName);
        JobRecord claimed;
        if (row == null) {
            claimed = new JobRecord(jobName, holder, leaseUntil, null, 0, now, null, JobRecord.Outcome.RUNNING, null);
        } else if (row.holder() != null) {
            if (row.leaseUntil() != null && row.leaseUntil().isAfter(now)) {
                return Optional.empty();
            }
            claimed = new JobRecord(jobName, holder, leaseUntil, row.cursor(), row.processed(), row.startedAt(),
                    row.endedAt(), JobRecord.Outcome.RUNNING, row.errorKind());
        } else if (row.endedAt() == null || !row.endedAt().isAfter(dueIfEndedBy)
                || row.outcome() == JobRecord.Outcome.STOPPED) {
            claimed = new JobRecord(jobName, holder, leaseUntil, row.cursor(),
                    row.cursor() == null ? 0 : row.processed(), now, row.endedAt(), JobRecord.Outcome.RUNNING,
                    row.errorKind());
        } else {
            return Optional.empty();
        }
        rows.put(jobName, claimed);
        return Optional.of(claimed);
    }

    @Override
    public synchronized boolean checkpoint(String jobName, String holder, Instant leaseUntil, @Nullable String cursor,
            long processed) {
        JobLeaseChecks.progress(jobName, holder, cursor, processed);
        JobRecord row = rows.get(jobName);
        if (row == null || !holder.equals(row.holder())) {
            return false;
        }
        rows.put(jobName, new JobRecord(jobName, holder, leaseUntil, cursor, processed, row.startedAt(),
                row.endedAt(), row.outcome(), row.errorKind()));
        return true;
    }

    @Override
    public synchronized boolean finish(String jobName, String holder, Instant endedAt, JobRecord.Outcome outcome,
            @Nullable String errorKind, @Nullable String cursor, long processed) {
        JobLeaseChecks.progress(jobName, holder, cursor, processed);
        JobLeaseChecks.outcome(outcome, errorKind);
        JobRecord row = rows.get(jobName);
        if (row == null || !holder.equals(row.holder())) {
            return false;
        }
        rows.put(jobName, new JobRecord(jobName, null, null, cursor, processed, row.startedAt(), endedAt, outcome,
                errorKind));
        return true;
    }

    @Override
    public synchronized List<JobRecord> all() {
        return new ArrayList<>(rows.values());
    }
}
