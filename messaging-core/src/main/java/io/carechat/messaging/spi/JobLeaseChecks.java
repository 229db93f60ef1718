package io.carechat.messaging.spi;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The argument checks every {@link JobLeaseStore} applies before touching its rows, so that all
 * implementations refuse the same input with the same message. Stateless and thread-safe.
 */
public final class JobLeaseChecks {
    private JobLeaseChecks() {}

    /**
     * Checks the arguments of {@link JobLeaseStore#claim}.
     *
     * @param jobName the job
     * @param holder the claiming node
     * @param now the current time
     * @param leaseUntil the lease's end
     * @param dueIfEndedBy the due bound
     * @throws IllegalArgumentException if a name is blank or too long, or the lease does not end after now
     */
    public static void claim(String jobName, String holder, Instant now, Instant leaseUntil, Instant dueIfEndedBy) {
        names(jobName, holder);
        requireNonNull(now, "now");
        requireNonNull(leaseUntil, "leaseUntil");
        requireNonNull(dueIfEndedBy, "dueIfEndedBy");
        if (!leaseUntil.isAfter(now)) {
            throw new IllegalArgumentException("a lease must end after now");
        }
    }

    /**
     * Checks the names, cursor and count of {@link JobLeaseStore#checkpoint} and
     * {@link JobLeaseStore#finish}.
     *
     * @param jobName the job
     * @param holder the holding node
     * @param cursor the cursor, or null
     * @param processed the rows processed
     * @throws IllegalArgumentException if a name is blank or too long, the cursor too long, or the count negative
     */
    public static void progress(String jobName, String holder, @Nullable String cursor, long processed) {
        names(jobName, holder);
        if (cursor != null && cursor.length() > JobLeaseStore.MAX_CURSOR) {
            throw new IllegalArgumentException("a job cursor holds at most " + JobLeaseStore.MAX_CURSOR + " characters");
        }
        if (processed < 0) {
            throw new IllegalArgumentException("processed must not be negative");
        }
    }

    /**
     * Checks the outcome and error kind of {@link JobLeaseStore#finish}.
     *
     * @param outcome the outcome
     * @param errorKind the error kind, or null
     * @throws IllegalArgumentException if the outcome is {@code RUNNING} or the error kind too long
     */
    public static void outcome(JobRecord.Outcome outcome, @Nullable String errorKind) {
        requireNonNull(outcome, "outcome");
        if (outcome == JobRecord.Outcome.RUNNING) {
            throw new IllegalArgumentException("a finished run cannot be RUNNING");
        }
        if (errorKind != null && (errorKind.isEmpty() || errorKind.length() > JobLeaseStore.MAX_ERROR_KIND)) {
            throw new IllegalArgumentException("an error kind has 1 to " + JobLeaseStore.MAX_ERROR_KIND + " characters");
        }
    }

    private static void names(String jobName, String holder) {
        requireNonNull(jobName, "jobName");
        requireNonNull(holder, "holder");
        if (jobName.isBlank() || jobName.length() > JobLeaseStore.MAX_JOB_NAME) {
            throw new IllegalArgumentException("a job name has 1 to " + JobLeaseStore.MAX_JOB_NAME + " characters");
        }
        if (holder.isBlank() || holder.length() > JobLeaseStore.MAX_HOLDER) {
            throw new IllegalArgumentException("a job holder has 1 to " + JobLeaseStore.MAX_HOLDER + " characters");
        }
    }
}
