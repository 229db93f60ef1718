package io.carechat.messaging.jobs;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.error.ConfigurationException;
import io.carechat.messaging.spi.JobLeaseStore;
import io.carechat.messaging.spi.JobRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs background jobs at their intervals, each on one node of a cluster at a time. Every node
 * runs a scheduler over the same {@link JobLeaseStore}; at each poll a scheduler claims each job
 * that is due (its last run ended at least one interval ago, or a run was left midway) with the
 * store's atomic conditional claim, so exactly one node gets it, and runs it under a lease that each
 * {@link JobRun#checkpoint} renews. A node that dies stops renewing; once its lease ends, the next
 * poll of any node takes the run over from the cursor it last saved. The interval is counted from
 * the end of the last run anywhere in the cluster, not per node.
 *
 * <p>Each run's start, end, progress and outcome (ok, failed with the error's class name, or
 * stopped) are kept in the store and read back by {@link #status()}. A failed run is logged with
 * its error's class only, and resumed from its cursor when the job is next due.
 *
 * <p>Thread-safe. Lifecycle: build, {@link #start()} (polls on the injected executor, which the
 * application owns and shuts down), {@link #close()} on shutdown: a running job stops at its next
 * checkpoint and is recorded as stopped, so any node resumes it at once. Tests and applications with
 * their own timer call {@link #runDueJobs()} instead of {@link #start()}.
 */
public final class JobScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobScheduler.class);

    private final JobLeaseStore store;
    private final Clock clock;
    private final @Nullable ScheduledExecutorService executor;
    private final String holder;
    private final Duration lease;
    private final Duration pollInterval;
    private final Map<String, Entry> jobs;
    private final Object pollLock = new Object();
    private volatile boolean closed;
    private @Nullable ScheduledFuture<?> polling;

    /** A job and its interval. */
    private record Entry(ScheduledJob job, Duration interval) {}

    private JobScheduler(Builder b) {
        this.store = requireNonNull(b.store);
        this.clock = b.clock;
        this.executor = b.executor;
        this.holder = b.holder;
        this.lease = b.lease;
        this.pollInterval = b.pollInterval;
        this.jobs = new LinkedHashMap<>(b.jobs);
    }

    /**
     * Starts configuring a scheduler.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * This node's name in the leases it takes.
     *
     * @return the holder
     */
    public String holder() {
        return holder;
    }

    /**
     * Polls on the injected executor every poll interval, the first time at once, until
     * {@link #close()}. A failing poll (storage down) is logged and the next one tries again.
     *
     * @throws IllegalStateException if the builder was given no executor, or the scheduler was
     *     started or closed already
     */
    public synchronized void start() {
        if (executor == null) {
            throw new IllegalStateException("start needs JobScheduler.builder().executor(...)");
        }
        if (polling != null || closed) {
            throw new IllegalStateException("the scheduler was started or closed already");
        }
        long millis = pollInterval.toMillis();
        polling = executor.scheduleWithFixedDelay(this::pollQuietly, 0, millis, TimeUnit.MILLISECONDS);
    }

    private void pollQuietly() {
        try {
            runDueJobs();
        } catch (RuntimeException e) {
            LOG.warn("Polling the background jobs failed; the next poll tries again ({})", e.getClass().getName());
        }
    }

    /**
     * Claims and runs, one after the other on the calling thread, every job that is due and that
     * no other node holds. Polls of one scheduler never overlap.
     *
     * @return the names of the jobs this call ran (whatever their outcome)
     * @throws io.carechat.messaging.error.UnavailableException if the store cannot be reached to claim
     */
    public List<String> runDueJobs() {
        List<String> ran = new ArrayList<>();
        synchronized (pollLock) {
            for (Entry entry : jobs.values()) {
                if (closed) {
                    break;
                }
                if (runIfDue(entry)) {
                    ran.add(entry.job().name());
                }
            }
        }
        return ran;
    }

    private boolean runIfDue(Entry entry) {
        String name = entry.job().name();
        Instant now = clock.instant();
        Optional<JobRecord> claimed = store.claim(name, holder, now, now.plus(lease), now.minus(entry.interval()));
        if (claimed.isEmpty()) {
            return false;
        }
        Run run = new Run(name, claimed.get());
        JobRecord.Outcome outcome;
        String errorKind = null;
        try {
            entry.job().run(run);
            outcome = run.stopped ? JobRecord.Outcome.STOPPED : JobRecord.Outcome.OK;
        } catch (RuntimeException e) {
            outcome = JobRecord.Outcome.FAILED;
            errorKind = e.getClass().getName();
            if (errorKind.length() > JobLeaseStore.MAX_ERROR_KIND) {
                errorKind = e.getClass().getSimpleName();
            }
            LOG.warn("Background job {} failed; its next run resumes from its last checkpoint ({})", name, errorKind);
        }
        if (run.lost) {
            LOG.warn("Background job {} lost its lease to another node and stopped", name);
            return true;
        }
        String cursor = outcome == JobRecord.Outcome.OK ? null : run.cursor;
        if (!store.finish(name, holder, clock.instant(), outcome, errorKind, cursor, run.processed)) {
            LOG.warn("Background job {} ended after losing its lease; its outcome was not recorded", name);
        }
        return true;
    }

    /**
     * Every configured job's status, as the lease store tells it (so it shows runs on any node).
     *
     * @return one status per job, in the order they were added
     * @throws io.carechat.messaging.error.UnavailableException if the store cannot be reached
     */
    public List<JobStatus> status() {
        Map<String, JobRecord> rows = new HashMap<>();
        for (JobRecord row : store.all()) {
            rows.put(row.jobName(), row);
        }
        Instant now = clock.instant();
        List<JobStatus> result = new ArrayList<>();
        for (Entry entry : jobs.values()) {
            String name = entry.job().name();
            result.add(JobStatus.of(name, entry.interval(), rows.get(name), now));
        }
        return result;
    }

    /**
     * Stops polling; a job running now stops at its next checkpoint and is recorded as stopped.
     * Does not wait for it, and does not shut the executor down. Idempotent.
     */
    @Override
    public synchronized void close() {
        closed = true;
        if (polling != null) {
            polling.cancel(false);
        }
    }

    /** One run's cursor and count, for its job's thread. */
    private final class Run implements JobRun {
        private final String name;
        private final @Nullable String startCursor;
        private final long startProcessed;
        private @Nullable String cursor;
        private long processed;
        private boolean stopped;
        private boolean lost;

        Run(String name, JobRecord claimed) {
            this.name = name;
            this.startCursor = claimed.cursor();
            this.startProcessed = claimed.processed();
            this.cursor = claimed.cursor();
            this.processed = claimed.processed();
        }

        @Override
        public @Nullable String cursor() {
            return startCursor;
        }

        @Override
        public long processed() {
            return startProcessed;
        }

        @Override
        public boolean checkpoint(@Nullable String at, long count) {
            if (lost || stopped) {
                return false;
            }
            if (!store.checkpoint(name, holder, clock.instant().plus(lease), at, count)) {
                lost = true;
                return false;
            }
            cursor = at;
            processed = count;
            if (closed) {
                stopped = true;
                return false;
            }
            return true;
        }

        @Override
        public void stopping() {
            stopped = true;
        }
    }

    /** Configures a {@link JobScheduler}. Not thread-safe; use from one thread. */
    public static final class Builder {
        private static final Duration MIN_PERIOD = Duration.ofMillis(10);

        private @Nullable JobLeaseStore store;
        private Clock clock = Clock.systemUTC();
        private @Nullable ScheduledExecutorService executor;
        private String holder = "node-" + UUID.randomUUID();
        private Duration lease = Duration.ofMinutes(5);
        private Duration pollInterval = Duration.ofSeconds(30);
        private final Map<String, Entry> jobs = new LinkedHashMap<>();
        private final List<String> problems = new ArrayList<>();

        private Builder() {}

        /**
         * Sets where leases and progress are kept. Required; nodes share it.
         *
         * @param value such as {@code JdbcStorage.jobLeases()}
         * @return this builder
         */
        public Builder leaseStore(JobLeaseStore value) {
            this.store = requireNonNull(value, "leaseStore");
            return this;
        }

        /**
         * Adds a job, run every {@code interval} (counted from the end of its last run).
         *
         * @param job the job; its name must be unique in this scheduler
         * @param interval positive
         * @return this builder
         */
        public Builder job(ScheduledJob job, Duration interval) {
            requireNonNull(job, "job");
            requireNonNull(interval, "interval");
            String name = job.name();
            if (name == null || name.isBlank() || name.length() > JobLeaseStore.MAX_JOB_NAME) {
                problems.add("a job name has 1 to " + JobLeaseStore.MAX_JOB_NAME + " characters");
            } else if (jobs.containsKey(name)) {
                problems.add("job " + name + " was added twice");
            } else if (interval.compareTo(MIN_PERIOD) < 0) {
                problems.add("the interval of job " + name + " must be at least 10ms, was " + interval);
            } else {
                jobs.put(name, new Entry(job, interval));
            }
            return this;
        }

        /**
         * Sets the clock; the default is the UTC system clock. Nodes' clocks should agree to well
         * within the lease duration.
         *
         * @param value the clock
         * @return this builder
         */
        public Builder clock(Clock value) {
            this.clock = requireNonNull(value, "clock");
            return this;
        }

        /**
         * Sets the executor {@link #start()} polls on, which also runs the jobs. The application
         * owns it and shuts it down. Required for {@link JobScheduler#start()}.
         *
         * @param value the executor
         * @return this builder
         */
        public Builder executor(ScheduledExecutorService value) {
            this.executor = requireNonNull(value, "executor");
            return this;
        }

        /**
         * Sets this node's name in its leases; the default is {@code node-} and a random UUID.
         * Each node needs its own.
         *
         * @param value 1 to 128 characters
         * @return this builder
         */
        public Builder holder(String value) {
            this.holder = requireNonNull(value, "holder");
            return this;
        }

        /**
         * Sets how long a lease lasts without a checkpoint: how long a dead node's run waits
         * before another node takes it over. Longer than any one batch of a job. Default 5 minutes.
         *
         * @param value at least 10ms
         * @return this builder
         */
        public Builder lease(Duration value) {
            this.lease = requireNonNull(value, "lease");
            return this;
        }

        /**
         * Sets how often {@link JobScheduler#start()} polls for due jobs. Default 30 seconds.
         *
         * @param value at least 10ms
         * @return this builder
         */
        public Builder pollInterval(Duration value) {
            this.pollInterval = requireNonNull(value, "pollInterval");
            return this;
        }

        /**
         * Checks the configuration and builds the scheduler.
         *
         * @return the scheduler, not started
         * @throws ConfigurationException listing every problem
         */
        public JobScheduler build() {
            List<String> all = new ArrayList<>(problems);
            if (store == null) {
                all.add("leaseStore is required");
            }
            if (holder.isBlank() || holder.length() > JobLeaseStore.MAX_HOLDER) {
                all.add("holder must have 1 to " + JobLeaseStore.MAX_HOLDER + " characters");
            }
            if (lease.compareTo(MIN_PERIOD) < 0) {
                all.add("lease must be at least 10ms");
            }
            if (pollInterval.compareTo(MIN_PERIOD) < 0) {
                all.add("pollInterval must be at least 10ms");
            }
            if (!all.isEmpty()) {
                throw new ConfigurationException("JobScheduler", all);
            }
            return new JobScheduler(this);
        }
    }
}
