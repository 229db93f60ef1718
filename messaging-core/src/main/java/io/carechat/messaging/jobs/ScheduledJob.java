package io.carechat.messaging.jobs;

/**
 * A background job the {@link JobScheduler} runs: a named task that walks its data in a stable
 * order and reports where it is through {@link JobRun#checkpoint}, so that a run stopped or killed
 * midway is continued from there by the next run, on any node.
 *
 * <p>Implementations are thread-safe; the scheduler calls {@link #run} from one thread at a time
 * per process, and the lease keeps other nodes from running the same job meanwhile.
 * {@code RetentionJob} and {@code KeyRotationJob} are the library's own.
 */
public interface ScheduledJob {

    /**
     * The job's name, its key in the lease store: stable across releases and nodes.
     *
     * @return 1 to 64 characters, such as {@code retention}
     */
    String name();

    /**
     * Runs the job from {@link JobRun#cursor()} (null: from the beginning) to its end, calling
     * {@link JobRun#checkpoint} after each batch and returning at once when that answers false.
     * Returning normally ends the run as completed, unless a checkpoint answered false.
     *
     * @param run where to start, and where to report progress
     * @throws RuntimeException on failure: the run is recorded as failed with the exception's
     *     class name, and the next run resumes from the last checkpoint
     */
    void run(JobRun run);
}
