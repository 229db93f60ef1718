package io.carechat.messaging.spi;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Keeps one row per background job (retention, key rotation, ...): which node holds the job's
 * lease and until when, how far the current or interrupted run got (its cursor and the rows it
 * processed), and how the last run went. Every node of a cluster sharing this store runs each job
 * at most once at a time: a node runs a job only while it holds the lease, which it takes with a
 * conditional update that exactly one of the nodes claiming at the same time wins.
 *
 * <p>A lease that is not renewed (the node died, or was cut off) ends at its {@code leaseUntil}; a
 * node claiming afterwards takes the job over with the cursor the dead holder last saved, so the run
 * continues where it stopped. Every change but {@link #claim} is guarded by the holder: a node that
 * lost its lease cannot overwrite the new holder's progress.
 *
 * <p>Job names are 1 to 64 characters; holders 1 to 128; cursors at most 2,048. The store keeps no
 * message content: cursors are positions (ids), and a failed run keeps only the kind of its error.
 *
 * <p>Implementations are thread-safe; the kit's {@code JobLeaseStoreContract} checks them. Reference
 * implementations: {@code InMemoryJobLeaseStore} and the JDBC adapter's {@code JdbcStorage.jobLeases()}.
 */
public interface JobLeaseStore {

    /** The longest job name. */
    int MAX_JOB_NAME = 64;
    /** The longest holder. */
    int MAX_HOLDER = 128;
    /** The longest cursor. */
    int MAX_CURSOR = 2048;
    /** The longest error kind. */
    int MAX_ERROR_KIND = 128;

    /**
     * Takes the job's lease if the job is due and no live lease holds it, in one atomic step. The
     * job is due when it has never run, when its last run ended at or before {@code dueIfEndedBy},
     * when its last run was {@linkplain JobRecord.Outcome#STOPPED stopped}, or when its holder's
     * lease ended at or before {@code now} (the holder died midway: the claimant takes the run
     * over). On success the run's start time becomes {@code now}, unless it takes over an
     * interrupted run, whose start is kept.
     *
     * @param jobName the job
     * @param holder the claiming node
     * @param now the current time
     * @param leaseUntil when the lease ends unless renewed; after {@code now}
     * @param dueIfEndedBy a finished run ended at or before this makes the job due again
     * @return the job's row as now held, with the cursor to resume from; empty if not due or held
     */
    Optional<JobRecord> claim(String jobName, String holder, Instant now, Instant leaseUntil, Instant dueIfEndedBy);

    /**
     * Renews the lease and saves the run's progress, if {@code holder} still holds it.
     *
     * @param jobName the job
     * @param holder the holding node
     * @param leaseUntil the lease's new end
     * @param cursor where the run is, to resume from; null for the beginning
     * @param processed how many rows the run has processed so far
     * @return false if the lease was lost (taken over after it ended): the run must stop
     */
    boolean checkpoint(String jobName, String holder, Instant leaseUntil, @Nullable String cursor, long processed);

    /**
     * Ends the run and releases the lease, if {@code holder} still holds it: records when it ended,
     * its outcome, the kind of its error if it failed, and the cursor the next run starts from
     * (null after a completed run; kept after a failed or stopped one, to resume).
     *
     * @param jobName the job
     * @param holder the holding node
     * @param endedAt when the run ended
     * @param outcome how it ended; never {@link JobRecord.Outcome#RUNNING}
     * @param errorKind for a failed run, the kind of error (such as an exception's class name),
     *     never its message; null otherwise
     * @param cursor the position to resume from, or null
     * @param processed how many rows the run processed
     * @return false if the lease was lost meanwhile: nothing was recorded
     */
    boolean finish(String jobName, String holder, Instant endedAt, JobRecord.Outcome outcome,
            @Nullable String errorKind, @Nullable String cursor, long processed);

    /**
     * Every job's row, by name.
     *
     * @return the rows, possibly empty
     */
    List<JobRecord> all();
}
