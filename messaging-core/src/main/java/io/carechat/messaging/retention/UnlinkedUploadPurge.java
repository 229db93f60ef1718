package io.carechat.messaging.retention;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.audit.AuditRecorder;
import io.carechat.messaging.error.ConfigurationException;
import io.carechat.messaging.error.UnavailableException;
import io.carechat.messaging.model.AttachmentId;
import io.carechat.messaging.spi.AttachmentStore;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.AuditSink;
import io.carechat.messaging.spi.LegalHold;
import io.carechat.messaging.spi.LegalHoldStore;
import io.carechat.messaging.spi.StoredAttachment;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the content of uploads that no message came to carry: an attachment uploaded but never
 * linked to a stored message within {@link Builder#maxAge(Duration) its time} (default 24 hours)
 * was abandoned, or uploaded only to fill storage, and it holds its uploader's quota and the total
 * quota until it goes. Its metadata stays, as after a retention purge; its content no longer
 * counts against the quotas.
 *
 * <p>An upload whose uploader is under a {@link LegalHold} on the user is kept. (An unlinked
 * upload belongs to no conversation, so holds on conversations do not reach it.) An upload linked
 * between being found and being purged is kept: the store checks for links in the purging
 * statement itself. A message sent with an upload at the very moment it is purged may still end
 * up naming purged content, which downloads then answer as not found, as after retention.
 *
 * <p>Each batch that purged anything is recorded once as {@code attachment.purged} (reason
 * {@code unlinked}), whose {@link AuditEvent#count() count} is the number purged, after the batch;
 * if that record cannot be kept, the run stops with {@link UnavailableException} and the next run
 * carries on.
 *
 * <p>Thread-safe; runs never overlap when started with {@link #start(Duration)}. Lifecycle: build,
 * {@link #start(Duration)} (or call {@link #runOnce()} from the application's own scheduler),
 * cancel the returned future on shutdown. Time comes from the injected clock, threads from the
 * injected executor.
 */
public final class UnlinkedUploadPurge {
    private static final Logger LOG = LoggerFactory.getLogger(UnlinkedUploadPurge.class);
    private static final String CLIENT = "unlinked_upload_purge";

    private final AttachmentStore attachments;
    private final LegalHoldStore holds;
    private final AuditRecorder audit;
    private final Clock clock;
    private final Duration maxAge;
    private final int batchSize;
    private final @Nullable ScheduledExecutorService executor;

    private UnlinkedUploadPurge(Builder b) {
        this.attachments = requireNonNull(b.attachments);
        this.holds = requireNonNull(b.holds);
        this.audit = new AuditRecorder(requireNonNull(b.audit), b.clock);
        this.clock = b.clock;
        this.maxAge = b.maxAge;
        this.batchSize = b.batchSize;
        this.executor = b.executor;
    }

    /**
     * Starts configuring a purge.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * What one run did.
     *
     * @param purged uploads whose content was deleted now
     * @param held uploads past their time kept because their uploader is under a legal hold
     */
    public record Result(long purged, long held) {}

    /**
     * Runs the purge every {@code period} on the injected executor, the first time after one
     * period. A failed run is logged and the next one tries again.
     *
     * @param period the delay between the end of one run and the start of the next
     * @return the schedule; cancel it to stop
     * @throws IllegalStateException if the builder was given no executor
     */
    public ScheduledFuture<?> start(Duration period) {
        requireNonNull(period, "period");
        if (executor == null) {
            throw new IllegalStateException("start needs UnlinkedUploadPurge.builder().executor(...)");
        }
        long millis = Math.max(1, period.toMillis());
        return executor.scheduleWithFixedDelay(() -> {
            try {
                runOnce();
            } catch (RuntimeException e) {
                LOG.warn("An unlinked upload purge failed; the next run will resume it ({})", e.getClass().getName());
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Purges every unlinked upload older than the configured time that no hold protects, in batches.
     *
     * @return what was done
     * @throws UnavailableException if a batch's purge cannot be audited, or storage fails
     */
    public Result runOnce() {
        Instant cutoff = clock.instant().minus(maxAge);
        Set<String> heldUsers = new HashSet<>();
        for (LegalHold hold : holds.all()) {
            if (hold.target() == LegalHold.Target.USER) {
                heldUsers.add(hold.subjectId());
            }
        }
        long purged = 0;
        long held = 0;
        AttachmentId after = null;
        while (true) {
            List<StoredAttachment> page = attachments.unlinkedBefore(cutoff, after, batchSize);
            int purgedNow = 0;
            for (StoredAttachment upload : page) {
                if (heldUsers.contains(upload.ownerId().value())) {
                    held++;
                } else if (attachments.purgeIfUnlinked(upload.ref().id())) {
                    purgedNow++;
                }
            }
            if (purgedNow > 0) {
                audit.record(audit.jobEvent(CLIENT, "attachment.purged", AuditEvent.Outcome.SUCCESS)
                        .reason("unlinked").build().aggregated(purgedNow));
                purged += purgedNow;
            }
            if (page.size() < batchSize) {
                break;
            }
            after = page.get(page.size() - 1).ref().id();
        }
        LOG.info("Unlinked upload purge: {} purged, {} kept under legal hold", purged, held);
        return new Result(purged, held);
    }

    /** Configures an {@link UnlinkedUploadPurge}. Not thread-safe; use from one thread. */
    public static final class Builder {
        private @Nullable AttachmentStore attachments;
        private @Nullable LegalHoldStore holds;
        private @Nullable AuditSink audit;
        private Clock clock = Clock.systemUTC();
        private Duration maxAge = Duration.ofHours(24);
        private int batchSize = 500;
        private @Nullable ScheduledExecutorService executor;

        private Builder() {}

        /**
         * Sets the attachments. Required.
         *
         * @param value such as {@code JdbcStorage.attachments()}
         * @return this builder
         */
        public Builder attachments(AttachmentStore value) {
            this.attachments = requireNonNull(value, "attachments");
            return this;
        }

        /**
         * Sets the legal holds. Required.
         *
         * @param value the hold store
         * @return this builder
         */
        public Builder legalHolds(LegalHoldStore value) {
            this.holds = requireNonNull(value, "legalHolds");
            return this;
        }

        /**
         * Sets where purges are recorded. Required.
         *
         * @param value the audit sink
         * @return this builder
         */
        public Builder auditSink(AuditSink value) {
            this.audit = requireNonNull(value, "auditSink");
            return this;
        }

        /**
         * Sets the clock ages are measured with; the default is the UTC system clock.
         *
         * @param value the clock
         * @return this builder
         */
        public Builder clock(Clock value) {
            this.clock = requireNonNull(value, "clock");
            return this;
        }

        /**
         * Sets how long an upload may stay unlinked before it is purged. Default 24 hours.
         *
         * @param value 1 hour to 365 days
         * @return this builder
         */
        public Builder maxAge(Duration value) {
            this.maxAge = requireNonNull(value, "maxAge");
            return this;
        }

        /**
         * Sets how many uploads one page reads. Default 500.
         *
         * @param value 1 to 10,000
         * @return this builder
         */
        public Builder batchSize(int value) {
            this.batchSize = value;
            return this;
        }

        /**
         * Sets the executor {@link UnlinkedUploadPurge#start(Duration)} schedules runs on. The
         * application owns it and shuts it down.
         *
         * @param value the executor
         * @return this builder
         */
        public Builder executor(ScheduledExecutorService value) {
            this.executor = requireNonNull(value, "executor");
            return this;
        }

        /**
         * Checks the configuration and builds the purge.
         *
         * @return the purge
         * @throws ConfigurationException listing every problem
         */
        public UnlinkedUploadPurge build() {
            List<String> problems = new ArrayList<>();
            if (attachments == null) {
                problems.add("attachments is required");
            }
            if (holds == null) {
                problems.add("legalHolds is required");
            }
            if (audit == null) {
                problems.add("auditSink is required");
            }
            if (maxAge.compareTo(Duration.ofHours(1)) < 0 || maxAge.compareTo(Duration.ofDays(365)) > 0) {
                problems.add("maxAge must be 1 hour to 365 days, was " + maxAge);
            }
            if (batchSize < 1 || batchSize > 10_000) {
                problems.add("batchSize must be 1 to 10000");
            }
            if (!problems.isEmpty()) {
                throw new ConfigurationException("UnlinkedUploadPurge", problems);
            }
            return new UnlinkedUploadPurge(this);
        }
    }
}
