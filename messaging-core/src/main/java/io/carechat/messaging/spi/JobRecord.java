package io.carechat.messaging.spi;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One background job's row in a {@link JobLeaseStore}: its lease, the progress of its current or
 * interrupted run, and how its last run went. Immutable and thread-safe.
 *
 * @param jobName the job
 * @param holder the node holding the lease, or null when none does
 * @param leaseUntil when the holder's lease ends, or null when none does
 * @param cursor where the current or interrupted run is, or null to start at the beginning
 * @param processed rows the current or last run processed
 * @param startedAt when the current or last run started, or null if it never ran
 * @param endedAt when the last run ended, or null if none ended
 * @param outcome how the last run went, {@link Outcome#RUNNING} while a holder runs it, or null
 *     if it never ran
 * @param errorKind the kind of error the last run failed with, or null
 */
public record JobRecord(String jobName, @Nullable String holder, @Nullable Instant leaseUntil,
        @Nullable String cursor, long processed, @Nullable Instant startedAt, @Nullable Instant endedAt,
        @Nullable Outcome outcome, @Nullable String errorKind) {

    /** How a run went. */
    public enum Outcome {
        /** A holder is running it (or died running it, until its lease ends). */
        RUNNING,
        /** It reached the end. */
        OK,
        /** It stopped on an error; the next run resumes from its cursor. */
        FAILED,
        /**
         * Its node stopped it (shutting down), or the job stopped itself at the application's
         * request; any node resumes it from its cursor at once.
         */
        STOPPED
    }

    /**
     * Checks the record.
     *
     * @throws NullPointerException if the job name is null
     * @throws IllegalArgumentException if {@code processed} is negative
     */
    public JobRecord {
        requireNonNull(jobName, "jobName");
        if (processed < 0) {
            throw new IllegalArgumentException("processed must not be negative");
        }
    }

    /**
     * Tells whether a live lease holds the job at {@code now}.
     *
     * @param now the current time
     * @return true if a holder's lease ends after {@code now}
     */
    public boolean heldAt(Instant now) {
        return holder != null && leaseUntil != null && leaseUntil.isAfter(now);
    }
}
