package io.carechat.messaging.crypto;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.audit.AuditRecorder;
import io.carechat.messaging.crypto.FieldCipher.FieldContext;
import io.carechat.messaging.error.ConfigurationException;
import io.carechat.messaging.error.IntegrityException;
import io.carechat.messaging.error.UnavailableException;
import io.carechat.messaging.jobs.internal.JobCursor;
import io.carechat.messaging.jobs.JobRun;
import io.carechat.messaging.jobs.ScheduledJob;
import io.carechat.messaging.model.AttachmentId;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.RoleRequest;
import io.carechat.messaging.model.RoleRequestId;
import io.carechat.messaging.spi.AttachmentStore;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.AuditSink;
import io.carechat.messaging.spi.AuditTrail;
import io.carechat.messaging.spi.KeyProvider;
import io.carechat.messaging.spi.MessageBodyStore;
import io.carechat.messaging.spi.MessageRecall;
import io.carechat.messaging.spi.MessagingStorage;
import io.carechat.messaging.spi.RoleRequestStore;
import io.carechat.messaging.spi.StoredAttachment;
import io.carechat.messaging.spi.StoredBody;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves every stored protected value to the key provider's current key and the current seal
 * format ({@link FieldCipher#VERSION}): message bodies, the attachment names messages carry, and
 * recall reasons; with {@link Builder#attachments(AttachmentStore)}, attachment content and names; with
 * {@link Builder#roleRequests(RoleRequestStore)}, role-request notes. Every value sealed under an
 * older key or in the older format, and every name or note still in clear from before they were
 * sealed, is opened (or read) and sealed again, in batches, each replaced only if it is still what
 * was read (so a retention purge running at the same time is never undone). Building the job keys
 * the audit trail with its provider ({@link AuditTrail#useKeys(KeyProvider)}) when the audit sink
 * is one, so the run's {@code key.rotate} record opens the chain's segment under the new key.
 *
 * <p>Resumable: a value already current (or purged by retention) is left alone, so a run that was
 * stopped ({@link #stop()}) or crashed halfway is finished by simply running again; nothing else
 * needs to be remembered. A value that fails its integrity check is left as it is, counted, and
 * recorded as {@code integrity.failure}. Each run is recorded as {@code key.rotate} when it starts
 * (failing closed: no audit, no run) and when it ends, with the reason {@code completed} or
 * {@code stopped}.
 *
 * <p>In a cluster, hand it to a {@link io.carechat.messaging.jobs.JobScheduler}, which runs it on
 * one node at a time and saves its cursor (the last message body, attachment or role request
 * done; recall reasons restart their own, short, phase) after each batch, so a run whose node died
 * continues from there on another node.
 *
 * <p>Thread-safe; run it from one thread at a time (a scheduler's), and call {@link #stop()} from
 * any. Lifecycle: build once, run as often as needed; it holds no resources.
 */
public final class KeyRotationJob implements ScheduledJob {
    /** The job's name in a {@link io.carechat.messaging.jobs.JobScheduler}'s lease store. */
    public static final String NAME = "key-rotation";

    private static final Logger LOG = LoggerFactory.getLogger(KeyRotationJob.class);
    private static final String CLIENT = "key_rotation_job";

    private final MessageBodyStore bodies;
    private final KeyProvider keys;
    private final FieldCipher cipher;
    private final MessageFields messageFields;
    private final SealedText text;
    private final AuditRecorder audit;
    private final int batchSize;
    private final @Nullable AttachmentStore attachments;
    private final @Nullable RoleRequestStore roleRequests;
    private final AtomicBoolean stopRequested = new AtomicBoolean();

    private KeyRotationJob(Builder b) {
        this.bodies = requireNonNull(b.bodies);
        this.keys = requireNonNull(b.keys);
        this.cipher = new FieldCipher(keys);
        this.messageFields = new MessageFields(cipher);
        this.text = new SealedText(cipher);
        this.audit = new AuditRecorder(requireNonNull(b.audit), b.clock);
        this.batchSize = b.batchSize;
        this.attachments = b.attachments;
        this.roleRequests = b.roleRequests;
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
     * @param scanned rows looked at (messages, attachments, role requests)
     * @param reencrypted rows moved to the current key and format
     * @param failed rows that failed their integrity check and were left alone
     * @param completed true if the run reached the end; false if it was stopped
     */
    public record Result(long scanned, long reencrypted, long failed, boolean completed) {}

    /**
     * Asks a running run to stop after the row it is on. After {@link #run()} the next run starts
     * afresh; under a {@link io.carechat.messaging.jobs.JobScheduler} the run is recorded as
     * stopped and the next one resumes from its last checkpoint.
     */
    public void stop() {
        stopRequested.set(true);
    }

    /**
     * Seals again every value not under the current key and format.
     *
     * @return what was done
     * @throws UnavailableException if the start cannot be audited, or storage fails (run again later)
     */
    public Result run() {
        return rotate(null);
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Runs from the run's cursor to the end, saving the cursor after each batch.
     *
     * @param run the scheduler's run
     * @throws UnavailableException as {@link #run()}; the next run resumes from the last checkpoint
     */
    @Override
    public void run(JobRun run) {
        rotate(requireNonNull(run, "run"));
    }

    private static final String PHASES = "" + JobCursor.MESSAGES + JobCursor.ATTACHMENTS + JobCursor.ROLE_REQUESTS
            + JobCursor.RECALLS;

    private Result rotate(@Nullable JobRun run) {
        stopRequested.set(false);
        String current = keys.currentKeyId();
        record(AuditEvent.Outcome.SUCCESS, current, "started");
        JobCursor cursor = run == null ? null : JobCursor.parse(run.cursor());
        int phase = cursor == null ? 0 : Math.max(0, PHASES.indexOf(cursor.phase()));
        Tally tally = new Tally();
        tally.processed = run == null ? 0 : run.processed();
        boolean completed = (phase > 0 || this.<StoredBody, StoredBody>pages(after -> bodies.scan(after, batchSize),
                        body -> body,
                        cursor == null ? null : cursor.body(), JobCursor::after,
                        body -> reencrypt(body, current), tally, run))
                && (attachments == null || phase > 1 || pages(after -> attachments.scan(after, batchSize),
                        a -> a.ref().id(), phase == 1 ? attachmentStart(cursor) : null,
                        id -> JobCursor.after(JobCursor.ATTACHMENTS, id.value()),
                        a -> reencrypt(attachments, a, current), tally, run))
                && (roleRequests == null || phase > 2 || pages(after -> roleRequests.scan(after, batchSize),
                        RoleRequest::id, phase == 2 ? roleRequestStart(cursor) : null,
                        id -> JobCursor.after(JobCursor.ROLE_REQUESTS, id.value()),
                        r -> reencrypt(roleRequests, r, current), tally, run))
                && this.<MessageRecall, MessageRecall>pages(after -> bodies.scanRecalls(after, batchSize),
                        recall -> recall, null,
                        recall -> JobCursor.after(JobCursor.RECALLS, ""),
                        recall -> reencrypt(recall, current), tally, run);
        return finish(new Result(tally.scanned, tally.moved, tally.failed, completed), current);
    }

    private static @Nullable AttachmentId attachmentStart(@Nullable JobCursor cursor) {
        return cursor == null || cursor.position().isEmpty() ? null : AttachmentId.of(cursor.position());
    }

    private static @Nullable RoleRequestId roleRequestStart(@Nullable JobCursor cursor) {
        return cursor == null || cursor.position().isEmpty() ? null : RoleRequestId.of(cursor.position());
    }

    /** Counts what a run did. Not thread-safe; one per run. */
    private static final class Tally {
        private long scanned;
        private long moved;
        private long failed;
        private long processed;
    }

    /**
     * Walks a store page by page from {@code start}, saving the cursor after each page when run
     * by a scheduler; false if stopped.
     */
    private <T, K> boolean pages(Function<@Nullable K, List<T>> page, Function<T, K> key, @Nullable K start,
            Function<K, String> cursorOf, Function<T, Outcome> step, Tally tally, @Nullable JobRun run) {
        K after = start;
        while (true) {
            List<T> rows = page.apply(after);
            for (T row : rows) {
                if (stopRequested.get()) {
                    if (run != null) {
                        run.stopping();
                    }
                    return false;
                }
                tally.scanned++;
                switch (step.apply(row)) {
                    case MOVED -> tally.moved++;
                    case FAILED -> tally.failed++;
                    case UNCHANGED -> { }
                }
            }
            tally.processed += rows.size();
            if (rows.size() < batchSize) {
                return true;
            }
            after = key.apply(rows.get(rows.size() - 1));
            if (run != null && !run.checkpoint(cursorOf.apply(after), tally.processed)) {
                return false;
            }
        }
    }

    private Outcome reencrypt(AttachmentStore store, StoredAttachment attachment, String current) {
        AttachmentId id = attachment.ref().id();
        try {
            boolean moved = false;
            String name = attachment.ref().name();
            if (!SealedText.isCurrent(name, current)) {
                FieldContext context = FieldContext.attachmentName(id, attachment.ownerId());
                moved = store.replaceName(id, name, text.seal(text.open(name, context), context));
            }
            Optional<byte[]> sealed = store.content(id);
            if (sealed.isPresent() && !FieldCipher.isCurrent(sealed.get(), current)) {
                FieldContext context = FieldContext.attachmentContent(id, attachment.ownerId());
                moved |= store.replaceContent(id, sealed.get(), cipher.seal(cipher.open(sealed.get(), context), context));
            }
            return moved ? Outcome.MOVED : Outcome.UNCHANGED;
        } catch (IntegrityException e) {
            integrityFailure("attachment", id.value());
            return Outcome.FAILED;
        }
    }

    private Outcome reencrypt(RoleRequestStore store, RoleRequest request, String current) {
        String note = request.note();
        try {
            if (SealedText.isCurrent(note, current)) {
                return Outcome.UNCHANGED;
            }
            FieldContext context = FieldContext.roleRequestNote(request.id(), request.userId());
            return store.replaceNote(request.id(), note, text.seal(text.open(note, context), context))
                    ? Outcome.MOVED : Outcome.UNCHANGED;
        } catch (IntegrityException e) {
            integrityFailure("role_request", request.id().value());
            return Outcome.FAILED;
        }
    }

    private Outcome reencrypt(MessageRecall recall, String current) {
        String reason = recall.sealedReason();
        try {
            if (SealedText.isCurrent(reason, current)) {
                return Outcome.UNCHANGED;
            }
            FieldContext context = FieldContext.recallReason(recall.conversationId(), recall.messageId());
            return bodies.replaceRecallReason(recall, text.seal(text.open(reason, context), context))
                    ? Outcome.MOVED : Outcome.UNCHANGED;
        } catch (IntegrityException e) {
            integrityFailure("message", recall.messageId().value());
            return Outcome.FAILED;
        }
    }

    private enum Outcome { MOVED, FAILED, UNCHANGED }

    private Outcome reencrypt(StoredBody body, String current) {
        try {
            if (MessageFields.isCurrent(body, current)) {
                return Outcome.UNCHANGED;
            }
            Message resealed = messageFields.reseal(body.message());
            return bodies.reseal(body, resealed.body(), resealed.attachments()) ? Outcome.MOVED : Outcome.UNCHANGED;
        } catch (IntegrityException e) {
            integrityFailure("message", body.messageId().value());
            return Outcome.FAILED;
        }
    }

    private void integrityFailure(String objectType, String objectId) {
        LOG.warn("A stored {} ({}) failed its integrity check during key rotation; left as it is", objectType, objectId);
        audit.recordRefusal(audit.jobEvent(CLIENT, "integrity.failure", AuditEvent.Outcome.FAILURE)
                .object(objectType, objectId)
                .reason("decrypt_failed")
                .build());
    }

    private Result finish(Result result, String current) {
        record(result.failed() == 0 ? AuditEvent.Outcome.SUCCESS : AuditEvent.Outcome.FAILURE, current,
                result.completed() ? "completed" : "stopped");
        LOG.info("Key rotation to {} {}: {} scanned, {} re-encrypted, {} failed", current,
                result.completed() ? "completed" : "stopped", result.scanned(), result.reencrypted(), result.failed());
        return result;
    }

    private void record(AuditEvent.Outcome outcome, String keyId, String reason) {
        audit.record(audit.jobEvent(CLIENT, "key.rotate", outcome)
                .object("encryption_key", keyId)
                .reason(reason)
                .build());
    }

    /** Configures a {@link KeyRotationJob}. Not thread-safe; use from one thread. */
    public static final class Builder {
        private @Nullable MessageBodyStore bodies;
        private @Nullable KeyProvider keys;
        private @Nullable AuditSink audit;
        private Clock clock = Clock.systemUTC();
        private int batchSize = 500;
        private @Nullable AttachmentStore attachments;
        private @Nullable RoleRequestStore roleRequests;

        private Builder() {}

        /**
         * Takes the bodies, attachments and role requests from one storage, and records the job's
         * audit events in its trail: the usual way to rotate the keys of a storage adapter such as
         * {@code JdbcStorage}. Each store can still be replaced afterwards.
         *
         * @param storage the storage whose sealed data the job moves to the current key
         * @return this builder
         */
        public Builder storage(MessagingStorage storage) {
            requireNonNull(storage, "storage");
            return bodies(storage.messageBodies())
                    .attachments(storage.attachments())
                    .roleRequests(storage.roleRequests())
                    .auditSink(storage.auditTrail());
        }

        /**
         * Also moves role-request notes to the current key. Optional.
         *
         * @param value the storage's own role-request store, such as {@code JdbcStorage.roleRequests()}
         * @return this builder
         */
        public Builder roleRequests(RoleRequestStore value) {
            this.roleRequests = requireNonNull(value, "roleRequests");
            return this;
        }

        /**
         * Also moves attachment content and names to the current key. Optional.
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
         * Sets the keys: the current key and every older one still in use. Required.
         *
         * @param value the key provider
         * @return this builder
         */
        public Builder keyProvider(KeyProvider value) {
            this.keys = requireNonNull(value, "keyProvider");
            return this;
        }

        /**
         * Sets where runs are recorded. Required.
         *
         * @param value the audit sink
         * @return this builder
         */
        public Builder auditSink(AuditSink value) {
            this.audit = requireNonNull(value, "auditSink");
            return this;
        }

        /**
         * Sets the clock; the default is the UTC system clock.
         *
         * @param value the clock
         * @return this builder
         */
        public Builder clock(Clock value) {
            this.clock = requireNonNull(value, "clock");
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
        public KeyRotationJob build() {
            List<String> problems = new ArrayList<>();
            if (bodies == null) {
                problems.add("bodies is required");
            }
            if (keys == null) {
                problems.add("keyProvider is required");
            }
            if (audit == null) {
                problems.add("auditSink is required");
            }
            if (batchSize < 1 || batchSize > 10_000) {
                problems.add("batchSize must be 1 to 10000");
            }
            if (!problems.isEmpty()) {
                throw new ConfigurationException("KeyRotationJob", problems);
            }
            if (audit instanceof AuditTrail trail) {
                trail.useKeys(keys);
            }
            return new KeyRotationJob(this);
        }
    }
}
