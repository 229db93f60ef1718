package io.carechat.messaging.memory;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.spi.AuditChain;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.AuditQuery;
import io.carechat.messaging.spi.AuditRecord;
import io.carechat.messaging.spi.AuditTrail;
import io.carechat.messaging.spi.ChainVerification;
import io.carechat.messaging.spi.KeyProvider;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An {@link AuditTrail} that keeps events in memory, in the order recorded, chained by
 * {@link AuditChain}: unkeyed until {@link #useKeys(KeyProvider)}, keyed after. For tests and
 * demos. Thread-safe: one lock serializes appends, so the chain never forks. Nothing survives a
 * restart, and memory grows with every event: not for production.
 */
public final class InMemoryAuditSink implements AuditTrail {
    private final List<AuditRecord> records = new ArrayList<>();
    private String headHash = AuditChain.GENESIS;
    private @Nullable KeyProvider keys;

    /** Creates an empty sink. */
    public InMemoryAuditSink() {}

    @Override
    public synchronized void record(AuditEvent event) {
        requireNonNull(event, "event");
        long sequence = records.size() + 1L;
        AuditRecord record;
        if (keys == null) {
            record = new AuditRecord(sequence, event, headHash, AuditChain.hash(headHash, sequence, event));
        } else {
            AuditChain.CurrentMacKey key = AuditChain.currentMacKey(keys);
            record = new AuditRecord(sequence, event, headHash, key.hash(headHash, sequence, event), key.keyId());
        }
        records.add(record);
        headHash = record.hash();
    }

    @Override
    public synchronized void useKeys(KeyProvider keys) {
        this.keys = requireNonNull(keys, "keys");
    }

    /**
     * Every event recorded so far, oldest first.
     *
     * @return an unmodifiable snapshot
     */
    public synchronized List<AuditEvent> events() {
        return records.stream().map(AuditRecord::event).toList();
    }

    @Override
    public synchronized List<AuditRecord> query(AuditQuery query) {
        requireNonNull(query, "query");
        List<AuditRecord> found = new ArrayList<>();
        for (AuditRecord record : records) {
            if (found.size() == query.limit()) {
                break;
            }
            if (record.sequence() > query.afterSequence() && query.matches(record.event())) {
                found.add(record);
            }
        }
        return List.copyOf(found);
    }

    @Override
    public synchronized ChainVerification verify() {
        return AuditChain.verify(List.copyOf(records), records.size(), headHash, keys);
    }
}
