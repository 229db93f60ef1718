package io.carechat.messaging.spi;

import io.carechat.messaging.model.UserId;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

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
     * The successful accesses to one patient's data by others, newest first: events whose patient
     * is {@code patient}, whose actor is someone else, whose outcome is success and whose action
     * is one of {@code actions}, for the patient's accounting of disclosures. Stores keep an index on the patient and the
     * sequence for it; this default walks the trail with {@link #query(AuditQuery)}, for trails
     * that have no better way.
     *
     * @param patient the patient
     * @param actions the actions that count as an access
     * @param beforeSequence only events before this sequence number (the cursor of the next
     *     page), or null for the newest
     * @param limit the most to return, 1 to {@link AuditQuery#MAX_LIMIT}
     * @return the matching records, newest first
     */
    default List<AuditRecord> patientAccesses(UserId patient, Set<String> actions, @Nullable Long beforeSequence,
            int limit) {
        if (limit < 1 || limit > AuditQuery.MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1 to " + AuditQuery.MAX_LIMIT);
        }
        ArrayDeque<AuditRecord> newest = new ArrayDeque<>();
        long after = 0;
        while (true) {
            List<AuditRecord> page = query(new AuditQuery(null, null, null, null, after, AuditQuery.MAX_LIMIT));
            for (AuditRecord record : page) {
                AuditEvent e = record.event();
                if ((beforeSequence == null || record.sequence() < beforeSequence)
                        && patient.equals(e.patientId()) && e.actorId() != null && !patient.equals(e.actorId())
                        && e.outcome() == AuditEvent.Outcome.SUCCESS
                        && actions.contains(e.action())) {
                    newest.addFirst(record);
                    if (newest.size() > limit) {
                        newest.removeLast();
                    }
                }
            }
            if (page.size() < AuditQuery.MAX_LIMIT) {
                return List.copyOf(newest);
            }
            after = page.get(page.size() - 1).sequence();
        }
    }

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
