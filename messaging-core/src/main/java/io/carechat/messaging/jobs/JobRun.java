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

    /**
     * Tells the scheduler that the run returns before its end at the job's own request (such as an
     * application calling the job's {@code stop()}), not because {@link #checkpoint} said so. The
     * run is then recorded as stopped, not as done, and the next run resumes from the last
     * checkpoint. Call it just before returning. The default does nothing, for runs made by hand
     * (a job's own tests); the scheduler's runs record it.
     */
    default void stopping() {}
}
