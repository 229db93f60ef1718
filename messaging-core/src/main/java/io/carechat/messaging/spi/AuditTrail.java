package io.carechat.messaging.spi;

import java.util.List;

/**
 * An {@link AuditSink} that keeps its events as a tamper-evident chain and can read them back.
 *
 * <p>Every stored event gets the next sequence number (1, 2, 3, ... without gaps) and a SHA-256
 * hash over its canonical encoding and the previous event's hash ({@link AuditChain}). Appends are
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
}
