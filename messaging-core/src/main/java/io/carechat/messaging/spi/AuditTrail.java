package io.carechat.messaging.spi;

import java.util.List;

/**
 * An {@link AuditSink} that keeps its events as a tamper-evident chain and can read them back.
 *
 * <p>Every stored event gets the next sequence number (1, 2, 3, ... without gaps) and a hash over
 * its canonical encoding and the previous event's hash ({@link AuditChain}): an HMAC-SHA256 under
 * the key provider's current MAC key once the trail is keyed ({@link #useKeys(KeyProvider)}), with
 * the key's id recorded beside the event. Appends are
 * serialized, also across processes sharing one database, so there is one chain and never a fork.
 * {@link #verify()} walks the chain and names the first link that does not hold, so an event that
 * was edited, deleted, reordered or inserted behind CareChat's back is found. Audit events are
 * never deleted by CareChat, retention included.
 *
 * <p>Implementations are thread-safe; the conformance kit's {@code AuditSinkContract} checks them.
 * Lifecycle as for {@link AuditSink}.
 */
public interface AuditTrail extends AuditSink {

    /**
     * Reads events back, oldest first.
     *
     * @param query the filters and the page size
     * @return the matching records, at most {@code query.limit()}
     */
    List<AuditRecord> query(AuditQuery query);

    /**
     * Walks the whole chain from its first event to its head.
     *
     * @return whether it holds, and if not, where it first breaks
     */
    ChainVerification verify();

    /**
     * Keys the chain: every event appended from now on is hashed with the MAC key of
     * {@code keys.currentKeyId()}, and {@link #verify()} checks keyed segments with {@code keys}
     * (which must hold every key id recorded in the chain). {@code Messaging.build()} calls it with
     * its key provider, and so does {@code KeyRotationJob.build()}, whose provider's current key
     * then starts a new segment. Calling it again replaces the keys; appends in flight finish with
     * the keys they started with.
     *
     * @param keys the key provider
     */
    void useKeys(KeyProvider keys);
}
