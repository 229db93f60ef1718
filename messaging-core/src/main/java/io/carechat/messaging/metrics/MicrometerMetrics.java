package io.carechat.messaging.metrics;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.jobs.JobStatus;
import io.carechat.messaging.notify.NotificationStats;
import io.carechat.messaging.spi.JobRecord;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/**
 * CareChat's meters on a Micrometer {@link MeterRegistry}: the one place that names them, so every
 * meter CareChat registers is listed here (and in {@code docs/operations.md}). Every name starts
 * with {@code carechat.}; every tag value comes from a fixed set, never an id.
 *
 * <p>Built by the builders that take a {@code MeterRegistry} ({@code Messaging.builder()},
 * {@code JdbcStorage.builder(...)}); several instances on one registry share its meters, as
 * Micrometer returns the meter already registered under a name and tags. Thread-safe; lives as long
 * as the registry, and registers nothing until a hook is first called (gauges when watched).
 */
public final class MicrometerMetrics implements MessagingMetrics {
    /** Sends by outcome ({@code ok} or an error code), a counter. */
    public static final String SENDS = "carechat.sends";
    /** From the facade taking a send to its committed answer, a timer. */
    public static final String ACK_LATENCY = "carechat.sends.ack";
    /** Live sockets a committed message was pushed to, a distribution summary. */
    public static final String FAN_OUT = "carechat.delivery.fanout";
    /** From a message's commit to its delivery by the bus to this node's hub, a timer. */
    public static final String BUS_LAG = "carechat.bus.lag";
    /** Catch-ups of every live session after the bus lost events, a counter. */
    public static final String BUS_CATCH_UPS = "carechat.bus.catchups";
    /** Items in a group-commit batch, a distribution summary. */
    public static final String COMMIT_BATCH = "carechat.storage.commit.batch";
    /** How long a batch's oldest item waited for it, a timer. */
    public static final String COMMIT_WAIT = "carechat.storage.commit.wait";
    /** Items waiting for a group-commit batch, a gauge. */
    public static final String COMMIT_QUEUE = "carechat.storage.commit.queue";
    /** Audit events waiting for a group-commit batch, a gauge. */
    public static final String AUDIT_QUEUE = "carechat.audit.queue";
    /** Failed storage operations by kind, a counter. */
    public static final String STORAGE_ERRORS = "carechat.storage.errors";
    /** Requests refused by a rate limit, by kind, a counter. */
    public static final String RATE_LIMITED = "carechat.ratelimit.refusals";
    /** Refused tokens by reason, a counter. */
    public static final String TOKENS_REJECTED = "carechat.tokens.rejected";
    /** Sockets the hub closed, by reason ({@code slow_consumer} among them), a counter. */
    public static final String SOCKETS_CLOSED = "carechat.sockets.closed";
    /** Open sockets, authenticated or not, a gauge. */
    public static final String SOCKETS_OPEN = "carechat.sockets.open";
    /** Authenticated sessions, a gauge. */
    public static final String SESSIONS_OPEN = "carechat.sessions.open";
    /** Ended escalations of urgent messages by outcome ({@code escalated} among them), a counter. */
    public static final String ESCALATIONS = "carechat.escalations";
    /** Offline notifications by outcome, a counter. */
    public static final String NOTIFICATIONS = "carechat.notifications";
    /** Gauge: 1 while a node runs the job, else 0; tag {@code job}. */
    public static final String JOB_RUNNING = "carechat.jobs.running";
    /** Gauge: rows the job's current or last run processed; tag {@code job}. */
    public static final String JOB_PROCESSED = "carechat.jobs.processed";
    /** Gauge: 1 if the job's last run succeeded, 0 if it failed or was stopped, NaN before any; tag {@code job}. */
    public static final String JOB_LAST_SUCCESS = "carechat.jobs.last.success";
    /** Gauge: when the job's last run ended, in seconds since the epoch, NaN before any; tag {@code job}. */
    public static final String JOB_LAST_END = "carechat.jobs.last.end";

    private final MeterRegistry registry;
    /** What function counters watch: Micrometer holds it weakly, so it is held here. */
    private final List<Object> watched = new CopyOnWriteArrayList<>();
    private final Timer ackLatency;
    private final DistributionSummary fanOut;
    private final Timer busLag;
    private final Counter busCatchUps;
    private final DistributionSummary commitBatch;
    private final Timer commitWait;

    /**
     * Binds CareChat's meters to a registry.
     *
     * @param registry where the meters go
     */
    public MicrometerMetrics(MeterRegistry registry) {
        this.registry = requireNonNull(registry, "registry");
        this.ackLatency = Timer.builder(ACK_LATENCY)
                .description("From the facade taking a send to its committed answer")
                .publishPercentiles(0.5, 0.99).register(registry);
        this.fanOut = DistributionSummary.builder(FAN_OUT).baseUnit("sockets")
                .description("Live sockets on this node a committed message was pushed to").register(registry);
        this.busLag = Timer.builder(BUS_LAG)
                .description("From a message's commit to its delivery by the event bus to this node")
                .publishPercentiles(0.5, 0.99).register(registry);
        this.busCatchUps = Counter.builder(BUS_CATCH_UPS)
                .description("Catch-ups of every live session from the store after the event bus lost events")
                .register(registry);
        this.commitBatch = DistributionSummary.builder(COMMIT_BATCH).baseUnit("items")
                .description("Sends and audit events in one group-commit transaction").register(registry);
        this.commitWait = Timer.builder(COMMIT_WAIT)
                .description("How long a group-commit batch's oldest item waited for it").register(registry);
    }

    @Override
    public void sendFinished(String outcome, long nanos) {
        Counter.builder(SENDS).description("Sends by outcome").tag("outcome", outcome).register(registry)
                .increment();
        if ("ok".equals(outcome)) {
            ackLatency.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void fannedOut(int sockets) {
        fanOut.record(sockets);
    }

    @Override
    public void busDelivered(long lagNanos) {
        busLag.record(Math.max(0, lagNanos), TimeUnit.NANOSECONDS);
    }

    @Override
    public void busCatchUp() {
        busCatchUps.increment();
    }

    @Override
    public void groupCommit(int items, long waitNanos) {
        commitBatch.record(items);
        commitWait.record(Math.max(0, waitNanos), TimeUnit.NANOSECONDS);
    }

    @Override
    public void storageError(String kind) {
        Counter.builder(STORAGE_ERRORS).description("Failed storage operations by kind").tag("kind", kind)
                .register(registry).increment();
    }

    @Override
    public void rateLimited(String kind) {
        Counter.builder(RATE_LIMITED).description("Requests refused by a rate limit, by kind").tag("kind", kind)
                .register(registry).increment();
    }

    @Override
    public void tokenRejected(String reason) {
        Counter.builder(TOKENS_REJECTED).description("Refused tokens by reason").tag("reason", reason)
                .register(registry).increment();
    }

    @Override
    public void socketClosed(String reason) {
        Counter.builder(SOCKETS_CLOSED).description("Sockets the hub closed, by reason").tag("reason", reason)
                .register(registry).increment();
    }

    @Override
    public void escalationEnded(String outcome) {
        Counter.builder(ESCALATIONS).description("Ended escalations of urgent messages, by outcome")
                .tag("outcome", outcome).register(registry).increment();
    }

    @Override
    public void watchHub(IntSupplier sockets, IntSupplier sessions) {
        gauge(SOCKETS_OPEN, "Open sockets, authenticated or not", sockets);
        gauge(SESSIONS_OPEN, "Authenticated sessions", sessions);
    }

    @Override
    public void watchStorageQueues(IntSupplier commitQueue, IntSupplier auditQueue) {
        gauge(COMMIT_QUEUE, "Items waiting for a group-commit batch", commitQueue);
        gauge(AUDIT_QUEUE, "Audit events waiting for a group-commit batch", auditQueue);
    }

    @Override
    public void watchNotifications(Supplier<NotificationStats> stats) {
        requireNonNull(stats, "stats");
        watched.add(stats);
        notificationCounter(stats, "delivered", NotificationStats::delivered);
        notificationCounter(stats, "failed", NotificationStats::failed);
        notificationCounter(stats, "store_failure", NotificationStats::storeFailures);
    }

    @Override
    public void watchJobs(Supplier<List<JobStatus>> jobs) {
        requireNonNull(jobs, "jobs");
        Supplier<List<JobStatus>> cached = new RecentValue<>(jobs, Duration.ofSeconds(1), registry.config().clock());
        watched.add(cached);
        for (JobStatus job : jobs.get()) {
            String name = job.name();
            jobGauge(JOB_RUNNING, "Whether a node runs the job now", cached, name, s -> s.running() ? 1 : 0);
            jobGauge(JOB_PROCESSED, "Rows the job's current or last run processed", cached, name, JobStatus::processed);
            jobGauge(JOB_LAST_SUCCESS, "Whether the job's last run succeeded", cached, name, s -> s.outcome() == null
                    || s.outcome() == JobRecord.Outcome.RUNNING ? Double.NaN : s.outcome() == JobRecord.Outcome.OK ? 1 : 0);
            jobGauge(JOB_LAST_END, "When the job's last run ended", cached, name,
                    s -> s.endedAt() == null ? Double.NaN : s.endedAt().toEpochMilli() / 1000.0);
        }
    }

    private void jobGauge(String meter, String description, Supplier<List<JobStatus>> jobs, String job,
            ToDoubleFunction<JobStatus> value) {
        Gauge.builder(meter, jobs, j -> j.get().stream().filter(s -> s.name().equals(job)).findFirst()
                        .map(value::applyAsDouble).orElse(Double.NaN))
                .description(description).tag("job", job).strongReference(true).register(registry);
    }

    private void notificationCounter(Supplier<NotificationStats> stats, String outcome,
            ToLongFunction<NotificationStats> count) {
        FunctionCounter.builder(NOTIFICATIONS, stats, s -> count.applyAsLong(s.get()))
                .description("Offline notifications by outcome").tag("outcome", outcome).register(registry);
    }

    private void gauge(String name, String description, IntSupplier value) {
        requireNonNull(value, name);
        Gauge.builder(name, value, IntSupplier::getAsInt).description(description).strongReference(true)
                .register(registry);
    }

    /** A value read again at most once per {@code maxAge} of the registry's clock. Thread-safe. */
    private static final class RecentValue<T> implements Supplier<T> {
        private final Supplier<T> source;
        private final long maxAgeNanos;
        private final Clock clock;
        private @Nullable T value;
        private long readAt;

        RecentValue(Supplier<T> source, Duration maxAge, Clock clock) {
            this.source = source;
            this.maxAgeNanos = maxAge.toNanos();
            this.clock = clock;
        }

        @Override
        public synchronized T get() {
            long now = clock.monotonicTime();
            if (value == null || now - readAt > maxAgeNanos) {
                value = source.get();
                readAt = now;
            }
            return value;
        }
    }
}
