package io.carechat.messaging.spi;

import static java.util.Objects.requireNonNull;

/**
 * One event as the audit trail keeps it: its place in the chain and the hashes that link it to
 * the event before. Immutable and thread-safe.
 *
 * @param sequence the event's place in the chain, starting at 1, gapless
 * @param event the event
 * @param previousHash the hash of the event before, or {@link AuditChain#GENESIS} for the first
 * @param hash {@link AuditChain#hash(String, long, AuditEvent)} of this event
 */
public record AuditRecord(long sequence, AuditEvent event, String previousHash, String hash) {

    /** Checks the fields. */
    public AuditRecord {
        requireNonNull(event, "event");
        requireNonNull(previousHash, "previousHash");
        requireNonNull(hash, "hash");
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence starts at 1");
        }
    }
}
