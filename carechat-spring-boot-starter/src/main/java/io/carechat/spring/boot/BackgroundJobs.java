package io.carechat.spring.boot;

import io.carechat.messaging.crypto.KeyRotationJob;
import io.carechat.messaging.jdbc.JdbcStorage;
import io.carechat.messaging.jobs.JobScheduler;
import io.carechat.messaging.jobs.JobStatus;
import io.carechat.messaging.retention.RetentionJob;
import io.carechat.messaging.retention.RetentionPolicy;
import io.carechat.messaging.spi.KeyProvider;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The retention and key rotation jobs of the starter, scheduled at {@code carechat.jobs.*}
 * intervals by a {@link JobScheduler} over the storage's job leases, so each run is claimed by one
 * node of the cluster and a run left midway by a dead node is resumed. A job whose interval is not
 * set is not scheduled. Owns its one thread. Thread-safe. Lifecycle: created and started with the
 * application context, closed with it ({@link #close()} stops a running job at its next checkpoint).
 */
public final class BackgroundJobs implements AutoCloseable {
    private final ScheduledExecutorService thread;
    private final JobScheduler scheduler;

    /**
     * Builds the scheduler and starts polling.
     *
     * @param storage the storage, for the jobs' data and leases
     * @param keys the encryption keys, for key rotation
     * @param settings the {@code carechat.jobs.*} settings
     * @throws io.carechat.messaging.error.ConfigurationException if a setting is out of range
     */
    public BackgroundJobs(JdbcStorage storage, KeyProvider keys, CareChatProperties.Jobs settings) {
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, "carechat-jobs");
            t.setDaemon(true);
            return t;
        });
        try {
            this.scheduler = scheduler(storage, keys, settings, thread);
        } catch (RuntimeException e) {
            thread.shutdown();
            throw e;
        }
        scheduler.start();
    }

    private static JobScheduler scheduler(JdbcStorage storage, KeyProvider keys, CareChatProperties.Jobs settings,
            ScheduledExecutorService thread) {
        JobScheduler.Builder builder = JobScheduler.builder().leaseStore(storage.jobLeases()).executor(thread)
                .lease(settings.getLease()).pollInterval(settings.getPollInterval());
        Duration retention = settings.getRetentionInterval();
        if (retention != null) {
            RetentionPolicy.Builder policy = RetentionPolicy.builder();
            Duration maxAge = settings.getRetentionMaxAge();
            if (maxAge != null) {
                policy.maxMessageAge(maxAge);
            }
            builder.job(RetentionJob.builder().storage(storage).policy(policy.build()).build(), retention);
        }
        Duration rotation = settings.getKeyRotationInterval();
        if (rotation != null) {
            builder.job(KeyRotationJob.builder().storage(storage).keyProvider(keys).build(), rotation);
        }
        return builder.build();
    }

    /**
     * Each scheduled job's last run, progress and outcome, as the cluster's lease store tells it.
     *
     * @return one status per scheduled job
     */
    public List<JobStatus> status() {
        return scheduler.status();
    }

    @Override
    public void close() {
        scheduler.close();
        thread.shutdown();
    }
}
