package io.carechat.messaging.jobs;

import org.jspecify.annotations.Nullable;

/**
 * What a {@link ScheduledJob} is given for one run: where to start, and where to save its progress.
 * Made by the {@link JobScheduler} for each run and valid only during it; used from the job's
 * thread only.
 */
public interface JobRun {

    /**
     * Where the run starts: the cursor the last checkpoint of an interrupted run saved, or null to
     * start at the beginning.
     *
     * @return the cursor, at most 2,048 characters, or null
     */
    @Nullable String cursor();

    /**
     * How many rows the run had processed at {@link #cursor()} (0 when starting afresh).
     *
     * @return the count
     */
    long processed();

    /**
     * Saves where the run is and renews the lease. Call it after each batch; a batch must take
     * less than the scheduler's lease duration.
     *
     * @param cursor where the next run continues if this one stops now (null: the beginning);
     *     positions only (ids), never content
     * @param processed rows processed in total so far
     * @return true to go on; false when the run must return now (its node is stopping, or it lost
     *     its lease to another node)
     */
    boolean checkpoint(@Nullable String cursor, long processed);
}
