package io.carechat.messaging.crypto;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.audit.AuditRecorder;
import io.carechat.messaging.crypto.FieldCipher.FieldContext;
import io.carechat.messaging.error.ConfigurationException;
import io.carechat.messaging.error.IntegrityException;
import io.carechat.messaging.error.UnavailableException;
import io.carechat.messaging.model.AttachmentId;
import io.carechat.messaging.spi.AttachmentStore;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.AuditSink;
import io.carechat.messaging.spi.KeyProvider;
import io.carechat.messaging.spi.MessageBodyStore;
import io.carechat.messaging.spi.StoredAttachment;
import io.carechat.messaging.spi.StoredBody;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves stored message bodies (and, with {@link Builder#attachments(AttachmentStore)}, attachment
 * content) to the key provider's current key: every value sealed under an older key is opened and
 * sealed again, in batches, each body replaced only if it is still what was read
 * (so a retention purge running at the same time is never undone).
 *
 * <p>Resumable: a body already under the current key (or purged by retention) is left alone, so a run that was stopped
 * ({@link #stop()}) or crashed halfway is finished by simply running again; nothing else needs to
 * be remembered. A body that fails its integrity check is left as it is, counted, and recorded as
 * {@code integrity.failure}. Each run is recorded as {@code key.rotate} when it starts (failing
 * closed: no audit, no run) and when it ends, with the reason {@code completed} or {@code stopped}.
 *
 * <p>Thread-safe; run it from one thread at a time (a scheduler's), and call {@link #stop()} from
 * any. Lifecycle: build once, run as often as needed; it holds no resources.
 */
public final class KeyRotationJob {
    private static final Logger LOG = LoggerFactory.getLogger(KeyRotationJob.class);
    private static final String CLIENT = "key_rotation_job";

    private final MessageBodyStore bodies;
    private final KeyProvider keys;
    private final FieldCipher cipher;
    private final AuditRecorder audit;
    private final Clock clock;
    private final int batchSize;
    private final @Nullable AttachmentStore attachments;
    private final AtomicBoolean stopRequested = new AtomicBoolean();

    private KeyRotationJob(Builder b) {
        this.bodies = requireNonNull(b.bodies);
        this.keys = requireNonNull(b.keys);
        this.cipher = new FieldCipher(keys);
        this.audit = new AuditRecorder(requireNonNull(b.audit), b.clock);
        this.clock = b.clock;
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
     * @param scanned bodies looked at
     * @param reencrypted bodies moved to the current key
     * @param failed bodies that failed their integrity check and were left alone
     * @param completed true if the run reached the end; false if it was stopped
     */
    public record Result(long scanned, long reencrypted, long failed, boolean completed) {}

    /**
     * Asks a running {@link #run()} to stop after the body it is on. The next run starts afresh.
     */
    public void stop() {
        stopRequested.set(true);
    }

    /**
     * Re-encrypts every body not under the current key.
     *
     * @return what was done
     * @throws UnavailableException if the start cannot be audited, or storage fails (run again later)
     */
    public Result run() {
        stopRequested.set(false);
        String current = keys.currentKeyId();
        record(AuditEvent.Outcome.SUCCESS, current, "started");
        long scanned = 0;
        long moved = 0;
        long failed = 0;
        StoredBody after = null;
        while (true) {
            List<StoredBody> page = bodies.scan(after, batchSize);
            for (StoredBody body : page) {
                if (stopRequested.get()) {
                    return finish(new Result(scanned, moved, failed, false), current);
                }
                scanned++;
                switch (reencrypt(body, current)) {
                    case MOVED -> moved++;
                    case FAILED -> failed++;
                    case UNCHANGED -> { }
                }
            }
            if (page.size() < batchSize) {
                break;
            }
            after = page.get(page.size() - 1);
        }
        if (attachments != null) {
            Instant startedAt = clock.instant();
            AttachmentId afterId = null;
            while (true) {
                List<StoredAttachment> page = attachments.uploadedBefore(startedAt.plusSeconds(1), afterId, batchSize);
                for (StoredAttachment attachment : page) {
                    if (stopRequested.get()) {
                        return finish(new Result(scanned, moved, failed, false), current);
                    }
                    scanned++;
                    switch (reencrypt(attachments, attachment, current)) {
                        case MOVED -> moved++;
                        case FAILED -> failed++;
                        case UNCHANGED -> { }
                    }
                }
                if (page.size() < batchSize) {
                    break;
                }
                afterId = page.get(page.size() - 1).ref().id();
            }
        }
        return finish(new Result(scanned, moved, failed, true), current);
    }

    private Outcome reencrypt(AttachmentStore store, StoredAttachment attachment, String current) {
        AttachmentId id = attachment.ref().id();
        FieldContext context = FieldContext.attachmentContent(id, attachment.ownerId());
        Optional<byte[]> sealed = store.content(id);
        if (sealed.isEmpty()) {
            return Outcome.UNCHANGED;
        }
        try {
            if (FieldCipher.keyIdOf(sealed.get()).equals(current)) {
                return Outcome.UNCHANGED;
            }
            byte[] resealed = cipher.seal(cipher.open(sealed.get(), context), context);
            return store.replaceContent(id, sealed.get(), resealed) ? Outcome.MOVED : Outcome.UNCHANGED;
        } catch (IntegrityException e) {
            integrityFailure("attachment", id.value());
            return Outcome.FAILED;
        }
    }

    private enum Outcome { MOVED, FAILED, UNCHANGED }

    private Outcome reencrypt(StoredBody body, String current) {
        FieldContext context = FieldContext.messageBody(body.conversationId(), body.messageId());
        try {
            if (body.purged() || FieldCipher.keyIdOf(body.body()).equals(current)) {
                return Outcome.UNCHANGED;
            }
            String resealed = cipher.sealText(cipher.openText(body.body(), context), context);
            return bodies.replaceBody(body, resealed) ? Outcome.MOVED : Outcome.UNCHANGED;
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

        private Builder() {}

        /**
         * Also moves attachment content to the current key. Optional.
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
            return new KeyRotationJob(this);
        }
    }
}
