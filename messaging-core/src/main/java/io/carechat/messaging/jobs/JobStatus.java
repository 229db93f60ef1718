package io.carechat.messaging.jobs;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.spi.JobRecord;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One scheduled job as the cluster sees it: its interval, whether a node runs it now, how far the
 * current or interrupted run got, and how the last run went. Read from the lease store by
 * {@link JobScheduler#status()}, for an admin view or a metrics binder. Immutable and thread-safe.
 *
 * @param name the job
 * @param interval how long after a run ends the next one is due
 * @param running true if a node holds the job's lease now
 * @param holder the node holding it, or null
 * @param startedAt when the current or last run started, or null if it never ran
 * @param endedAt when the last run ended, or null
 * @param outcome how the last run went ({@link JobRecord.Outcome#RUNNING} while one runs), or null
 *     if it never ran
 * @param errorKind the kind of error the last run failed with (a class name), or null
 * @param processed rows the current or last run processed
 * @param resumable true if a run stopped midway and the next one continues from its cursor
 */
public record JobStatus(String name, Duration interval, boolean running, @Nullable String holder,
        @Nullable Instant startedAt, @Nullable Instant endedAt, JobRecord.@Nullable Outcome outcome,
        @Nullable String errorKind, long processed, boolean resumable) {

    /**
     * Checks the status.
     *
     * @throws NullPointerException if the name or interval is null
     */
    public JobStatus {
        requireNonNull(name, "name");
        requireNonNull(interval, "interval");
    }

    static JobStatus of(String name, Duration interval, @Nullable JobRecord row, Instant now) {
        if (row == null) {
            return new JobStatus(name, interval, false, null, null, null, null, null, 0, false);
        }
        boolean running = row.heldAt(now);
        return new JobStatus(name, interval, running, running ? row.holder() : null, row.startedAt(), row.endedAt(),
                row.outcome(), row.errorKind(), row.processed(), row.cursor() != null);
    }
}
