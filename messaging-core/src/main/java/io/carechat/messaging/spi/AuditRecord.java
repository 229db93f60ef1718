package io.carechat.messaging.spi;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * One event as the audit trail keeps it: its place in the chain, the hashes that link it to the
 * event before, and the id of the key its hash was made with. Immutable and thread-safe.
 *
 * @param sequence the event's place in the chain, starting at 1, gapless
 * @param event the event
 * @param previousHash the hash of the event before, or {@link AuditChain#GENESIS} for the first
 * @param hash {@link AuditChain#hash(javax.crypto.SecretKey, String, String, long, AuditEvent)} of
 *     this event, or {@link AuditChain#hash(String, long, AuditEvent)} for an unkeyed one
 * @param keyId the id of the {@link KeyProvider#macKey(String) MAC key} of the hash, or null for
 *     an event written before the chain was keyed
 */
public record AuditRecord(long sequence, AuditEvent event, String previousHash, String hash, @Nullable String keyId) {

    /** Checks the fields. */
    public AuditRecord {
        requireNonNull(event, "event");
        requireNonNull(previousHash, "previousHash");
        requireNonNull(hash, "hash");
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence starts at 1");
        }
    }

    /**
     * An unkeyed record, as written before the chain was keyed.
     *
     * @param sequence the event's place in the chain
     * @param event the event
     * @param previousHash the hash of the event before
     * @param hash the plain SHA-256 of this event
     */
    public AuditRecord(long sequence, AuditEvent event, String previousHash, String hash) {
        this(sequence, event, previousHash, hash, null);
    }
}
