package io.carechat.messaging.retention;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.audit.AuditRecorder;
import io.carechat.messaging.error.ConfigurationException;
import io.carechat.messaging.error.UnavailableException;
import io.carechat.messaging.jobs.internal.JobCursor;
import io.carechat.messaging.jobs.JobRun;
import io.carechat.messaging.jobs.ScheduledJob;
import io.carechat.messaging.model.AttachmentId;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AttachmentStore;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.AuditSink;
import io.carechat.messaging.spi.ConversationStore;
import io.carechat.messaging.spi.LegalHold;
import io.carechat.messaging.spi.LegalHoldStore;
import io.carechat.messaging.spi.MessageBodyStore;
import io.carechat.messaging.spi.MessagingStorage;
import io.carechat.messaging.spi.StoredAttachment;
import io.carechat.messaging.spi.StoredBody;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Purges message content older than the {@link RetentionPolicy} allows, unless a
 * {@link LegalHold} stands on the conversation or on one of its members.
 *
 * <p>What a purge leaves: the message keeps its place (id, {@code seq}, sender, time, priority),
 * so {@code seq} stays gapless and unread counts stay right; its stored body becomes
 * {@link StoredBody#PURGED} (empty), and reads return it with an empty body. The audit trail is
 * never touched: its events are kept whatever their age.
 *
 * <p>With {@link Builder#attachments(AttachmentStore)}, attachments past the policy's attachment
 * age lose their content (their metadata stays, downloads answer "not found"), unless a hold stands
 * on their uploader, on a conversation they were sent in, or on one of its members.
 *
 * <p>Each purged message or attachment is recorded as {@code retention.purge} before its body is replaced
 * (failing closed: no audit, no purge). Bodies are scanned in bounded batches in a stable order and
 * replaced only if unchanged since read, so a run that crashed or was stopped halfway is finished
 * by the next run, which skips what is already purged.
 *
 * <p>In a cluster, hand it to a {@link io.carechat.messaging.jobs.JobScheduler}, which runs it on
 * one node at a time and saves its cursor (the last message body, then the last attachment, done)
 * after each batch, so a run whose node died continues from there on another node.
 *
 * <p>Thread-safe; runs never overlap when started with {@link #start(Duration)} (the executor
 * runs them with a fixed delay) on a single node. Lifecycle: build, {@link #start(Duration)} (or call
 * {@link #runOnce()} from the application's own scheduler), cancel the returned future on shutdown.
 * Time comes from the injected clock, threads from the injected executor.
 */
public final class RetentionJob implements ScheduledJob {
    /** The job's name in a {@link io.carechat.messaging.jobs.JobScheduler}'s lease store. */
    public static final String NAME = "retention";

    private static final Logger LOG = LoggerFactory.getLogger(RetentionJob.class);
    private static final String CLIENT = "retention_job";

    private final MessageBodyStore bodies;
    private final ConversationStore conversations;
    private final LegalHoldStore holds;
    private final RetentionPolicy policy;
    private final AuditRecorder audit;
    private final Clock clock;
    private final @Nullable ScheduledExecutorService executor;
    private final int batchSize;
    private final @Nullable AttachmentStore attachments;

    private RetentionJob(Builder b) {
        this.bodies = requireNonNull(b.bodies);
        this.conversations = requireNonNull(b.conversations);
        this.holds = requireNonNull(b.holds);
        this.policy = requireNonNull(b.policy);
        this.audit = new AuditRecorder(requireNonNull(b.audit), b.clock);
        this.clock = b.clock;
        this.executor = b.executor;
        this.batchSize = b.batchSize;
        this.attachments = b.attachments;
    }

    /**
     * Starts configuring a job.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * What one run did.
     *
     * @param scanned message bodies looked at
     * @param purged bodies purged now
     * @param held bodies and attachments past their age kept because of a legal hold
     * @param attachmentsPurged attachments whose content was deleted now
     */
    public record Result(long scanned, long purged, long held, long attachmentsPurged) {}

    /**
     * Runs the job every {@code period} on the injected executor, the first time after one period.
     * A failed run is logged and the next one tries again.
     *
     * @param period the delay between the end of one run and the start of the next
     * @return the schedule; cancel it to stop
     * @throws IllegalStateException if the builder was given no executor
     */
    public ScheduledFuture<?> start(Duration period) {
        requireNonNull(period, "period");
        if (executor == null) {
            throw new IllegalStateException("start needs RetentionJob.builder().executor(...)");
        }
        long millis = Math.max(1, period.toMillis());
        return executor.scheduleWithFixedDelay(() -> {
            try {
                runOnce();
            } catch (RuntimeException e) {
                LOG.warn("A retention run failed; the next run will resume it ({})", e.getClass().getName());
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Purges every message past its age that no hold protects, in batches.
     *
     * @return what was done
     * @throws UnavailableException if a purge cannot be audited, or storage fails; nothing more is
     *     purged, and the next run resumes
     */
    public Result runOnce() {
        return sweep(null);
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Runs from the run's cursor to the end, saving the cursor after each batch.
     *
     * @param run the scheduler's run
     * @throws UnavailableException as {@link #runOnce()}; the next run resumes from the last checkpoint
     */
    @Override
    public void run(JobRun run) {
        sweep(requireNonNull(run, "run"));
    }

    private Result sweep(@Nullable JobRun run) {
        JobCursor cursor = run == null ? null : JobCursor.parse(run.cursor());
        long processed = run == null ? 0 : run.processed();
        Instant now = clock.instant();
        Set<String> heldConversations = new HashSet<>();
        Set<String> heldUsers = new HashSet<>();
        for (LegalHold hold : holds.all()) {
            (hold.target() == LegalHold.Target.CONVERSATION ? heldConversations : heldUsers).add(hold.subjectId());
        }
        Map<ConversationId, Decision> decisions = new HashMap<>();
        long scanned = 0;
        long purged = 0;
        long held = 0;
        boolean inAttachments = cursor != null && cursor.phase() == JobCursor.ATTACHMENTS;
        StoredBody after = cursor == null ? null : cursor.body();
        while (!inAttachments) {
            List<StoredBody> page = bodies.scan(after, batchSize);
            for (StoredBody body : page) {
                scanned++;
                if (body.purged()) {
                    continue;
                }
                Decision decision = decisions.computeIfAbsent(body.conversationId(),
                        id -> decide(id, now, heldConversations, heldUsers));
                if (decision.cutoff() == null || !body.sentAt().isBefore(decision.cutoff())) {
                    continue;
                }
                if (decision.held()) {
                    held++;
                    continue;
                }
                recordPurge("message", body.messageId().value());
                if (bodies.replaceBody(body, StoredBody.PURGED)) {
                    purged++;
                }
            }
            processed += page.size();
            if (page.size() < batchSize) {
                break;
            }
            after = page.get(page.size() - 1);
            if (run != null && !run.checkpoint(JobCursor.after(after), processed)) {
                return new Result(scanned, purged, held, 0);
            }
        }
        long attachmentsPurged = 0;
        if (attachments != null) {
            AttachmentId from = inAttachments && !cursor.position().isEmpty() ? AttachmentId.of(cursor.position()) : null;
            long[] counts = purgeAttachments(attachments, now, heldConversations, heldUsers, from, run, processed);
            attachmentsPurged = counts[0];
            held += counts[1];
        }
        LOG.info("Retention run: {} scanned, {} purged, {} attachments purged, {} kept under legal hold",
                scanned, purged, attachmentsPurged, held);
        return new Result(scanned, purged, held, attachmentsPurged);
    }

    /** Returns {purged, held}. */
    private long[] purgeAttachments(AttachmentStore store, Instant now, Set<String> heldConversations,
            Set<String> heldUsers, @Nullable AttachmentId from, @Nullable JobRun run, long processedBefore) {
        Optional<Duration> shortest = policy.shortestAttachmentAge();
        if (shortest.isEmpty()) {
            return new long[] {0, 0};
        }
        long purged = 0;
        long held = 0;
        long processed = processedBefore;
        AttachmentId after = from;
        if (run != null && from == null && !run.checkpoint(JobCursor.after(JobCursor.ATTACHMENTS, ""), processed)) {
            return new long[] {0, 0};
        }
        while (true) {
            List<StoredAttachment> page = store.uploadedBefore(now.minus(shortest.get()), after, batchSize);
            for (StoredAttachment attachment : page) {
                switch (attachmentDecision(store, attachment, now, heldConversations, heldUsers)) {
                    case PURGE -> {
                        recordPurge("attachment", attachment.ref().id().value());
                        if (store.purgeContent(attachment.ref().id())) {
                            purged++;
                        }
                    }
                    case HELD -> held++;
                    case KEEP -> { }
                }
            }
            processed += page.size();
            if (page.size() < batchSize) {
                return new long[] {purged, held};
            }
            after = page.get(page.size() - 1).ref().id();
            if (run != null && !run.checkpoint(JobCursor.after(JobCursor.ATTACHMENTS, after.value()), processed)) {
                return new long[] {purged, held};
            }
        }
    }

    private enum AttachmentDecision { PURGE, HELD, KEEP }

    private AttachmentDecision attachmentDecision(AttachmentStore store, StoredAttachment attachment, Instant now,
            Set<String> heldConversations, Set<String> heldUsers) {
        if (heldUsers.contains(attachment.ownerId().value())) {
            return AttachmentDecision.HELD;
        }
        boolean expired = true;
        for (ConversationId id : store.conversationsOf(attachment.ref().id())) {
            Optional<Conversation> conversation = conversations.find(id);
            if (conversation.isEmpty()) {
                return AttachmentDecision.KEEP;
            }
            if (decide(id, now, heldConversations, heldUsers).held()) {
                return AttachmentDecision.HELD;
            }
            Optional<Duration> age = policy.maxAttachmentAge(conversation.get().kind());
            expired &= age.isPresent() && attachment.uploadedAt().isBefore(now.minus(age.get()));
        }
        return expired ? AttachmentDecision.PURGE : AttachmentDecision.KEEP;
    }

    /** Per conversation: the oldest time kept (null: keep all) and whether a hold stands. */
    private record Decision(@Nullable Instant cutoff, boolean held) {}

    private Decision decide(ConversationId id, Instant now, Set<String> heldConversations, Set<String> heldUsers) {
        Optional<Conversation> conversation = conversations.find(id);
        if (conversation.isEmpty()) {
            return new Decision(null, true);
        }
        Optional<Duration> age = policy.maxMessageAge(conversation.get().kind());
        boolean held = heldConversations.contains(id.value());
        for (UserId member : conversation.get().memberIds()) {
            held |= heldUsers.contains(member.value());
        }
        return new Decision(age.map(now::minus).orElse(null), held);
    }

    private void recordPurge(String objectType, String objectId) {
        audit.record(audit.jobEvent(CLIENT, "retention.purge", AuditEvent.Outcome.SUCCESS)
                .object(objectType, objectId)
                .reason("max_age")
                .build());
    }

    /** Configures a {@link RetentionJob}. Not thread-safe; use from one thread. */
    public static final class Builder {
        private @Nullable MessageBodyStore bodies;
        private @Nullable ConversationStore conversations;
        private @Nullable LegalHoldStore holds;
        private @Nullable RetentionPolicy policy;
        private @Nullable AuditSink audit;
        private Clock clock = Clock.systemUTC();
        private @Nullable ScheduledExecutorService executor;
        private int batchSize = 500;
        private @Nullable AttachmentStore attachments;

        private Builder() {}

        /**
         * Takes the bodies, conversations, legal holds and attachments from one storage, and
         * records the job's audit events in its trail: the usual way to run retention over a
         * storage adapter such as {@code JdbcStorage}. Each store can still be replaced afterwards.
         *
         * @param storage the storage whose messages the job purges
         * @return this builder
         */
        public Builder storage(MessagingStorage storage) {
            requireNonNull(storage, "storage");
            return bodies(storage.messageBodies())
                    .conversations(storage.conversations())
                    .legalHolds(storage.legalHolds())
                    .attachments(storage.attachments())
                    .auditSink(storage.auditTrail());
        }

        /**
         * Also purges attachments past the policy's attachment ages: their content is deleted,
         * their metadata kept (messages still name them; downloads answer "not found"). Optional.
         *
         * @param value the attachment store
         * @return this builder
         */
        public Builder attachments(AttachmentStore value) {
            this.attachments = requireNonNull(value, "attachments");
            return this;
        }

        /**
         * Sets the stored bodies. Required.
         *
         * @param value such as {@code JdbcStorage.messageBodies()}
         * @return this builder
         */
        public Builder bodies(MessageBodyStore value) {
            this.bodies = requireNonNull(value, "bodies");
            return this;
        }

        /**
         * Sets the conversations, for their kind and members. Required.
         *
         * @param value the conversation store
         * @return this builder
         */
        public Builder conversations(ConversationStore value) {
            this.conversations = requireNonNull(value, "conversations");
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
         * Sets the policy. Required.
         *
         * @param value the policy
         * @return this builder
         */
        public Builder policy(RetentionPolicy value) {
            this.policy = requireNonNull(value, "policy");
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
         * Sets the executor {@link RetentionJob#start(Duration)} schedules runs on. The
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
         * Sets how many bodies one scan reads. Default 500.
         *
         * @param value 1 to 10,000
         * @return this builder
         */
        public Builder batchSize(int value) {
            this.batchSize = value;
            return this;
        }

        /**
         * Checks the configuration and builds the job.
         *
         * @return the job
         * @throws ConfigurationException listing every problem
         */
        public RetentionJob build() {
            List<String> problems = new ArrayList<>();
            if (bodies == null) {
                problems.add("bodies is required");
            }
            if (conversations == null) {
                problems.add("conversations is required");
            }
            if (holds == null) {
                problems.add("legalHolds is required");
            }
            if (policy == null) {
                problems.add("policy is required");
            }
            if (audit == null) {
                problems.add("auditSink is required");
            }
            if (batchSize < 1 || batchSize > 10_000) {
                problems.add("batchSize must be 1 to 10000");
            }
            if (!problems.isEmpty()) {
                throw new ConfigurationException("RetentionJob", problems);
            }
            return new RetentionJob(this);
        }
    }
}
