package io.carechat.messaging.jdbc.internal;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AuditChain;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.KeyProvider;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Extends the audit hash chain by a batch of events inside the writer's transaction, with three
 * statements whatever the batch's size: it locks the one row of {@code audit_chain_head}, inserts
 * the events with the next sequence numbers, their chained hashes and the id of the key that made
 * them as one JDBC batch, and moves the head. Once keyed ({@link #useKeys}) each hash is an
 * HMAC-SHA256 under the current MAC key, looked up once per batch (CPU only, no statement);
 * before that it is the plain SHA-256. The head's lock is held until the transaction commits, so
 * writers on every node form one chain, and it is taken once per batch rather than once per
 * event. Not API. Thread-safe: the keys are replaced atomically; the connection it is handed is
 * not.
 */
final class AuditChainAppender {
    /** The columns of an audit event row, in the audit_events table. */
    static final String COLUMNS = "seq, event_time, action, outcome, actor_id, actor_roles,"
            + " client_address, client_id, object_type, object_id, patient_id, request_id, reason, prev_hash, hash,"
            + " key_id, event_count";
    private static final String INSERT = "INSERT INTO ${p}audit_events (" + COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String MOVE_HEAD =
            "UPDATE ${p}audit_chain_head SET last_seq = ?, last_hash = ? WHERE id = 1";

    private final Dialect dialect;
    private final String lockHeadSql;
    private volatile @Nullable KeyProvider keys;

    /**
     * Creates the appender.
     *
     * @param dialect what differs on the database: how a row is locked, how a time is bound
     */
    AuditChainAppender(Dialect dialect) {
        this.dialect = requireNonNull(dialect, "dialect");
        this.lockHeadSql = "SELECT last_seq, last_hash FROM ${p}audit_chain_head WHERE id = 1" + dialect.forUpdate();
    }

    /**
     * Keys the batches that start from now on.
     *
     * @param value the key provider whose current MAC key hashes new events
     */
    void useKeys(KeyProvider value) {
        this.keys = requireNonNull(value, "keys");
    }

    /**
     * Appends the events to the chain, in the order given.
     *
     * @param c the writer's connection, inside a transaction the caller commits
     * @param events the events, at least one
     * @throws SQLException if a statement fails; the caller rolls the transaction back
     */
    void appendAll(WriterConnection c, List<AuditEvent> events) throws SQLException {
        KeyProvider provider = keys;
        AuditChain.CurrentMacKey key = provider == null ? null : AuditChain.currentMacKey(provider);
        PreparedStatement lock = c.prepare(lockHeadSql);
        long seq;
        String hash;
        try (ResultSet rs = lock.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("the audit chain head row is missing", "55000");
            }
            seq = rs.getLong(1);
            hash = rs.getString(2);
        }
        PreparedStatement insert = c.prepare(INSERT);
        for (AuditEvent event : events) {
            String prev = hash;
            seq++;
            hash = key == null ? AuditChain.hash(prev, seq, event) : key.hash(prev, seq, event);
            insert.setLong(1, seq);
            insert.setObject(2, dialect.timestamp(event.time()));
            insert.setString(3, event.action());
            insert.setString(4, event.outcome().name());
            insert.setString(5, id(event.actorId()));
            insert.setString(6, event.actorRoles().isEmpty() ? "," : Rows.rolesColumn(event.actorRoles()));
            insert.setString(7, event.clientAddress());
            insert.setString(8, event.clientId());
            insert.setString(9, event.objectType());
            insert.setString(10, event.objectId());
            insert.setString(11, id(event.patientId()));
            insert.setString(12, event.requestId());
            insert.setString(13, event.reason());
            insert.setString(14, prev);
            insert.setString(15, hash);
            insert.setString(16, key == null ? null : key.keyId());
            insert.setInt(17, event.count());
            insert.addBatch();
        }
        insert.executeBatch();
        PreparedStatement move = c.prepare(MOVE_HEAD);
        move.setLong(1, seq);
        move.setString(2, hash);
        move.executeUpdate();
    }

    private static @Nullable String id(@Nullable UserId id) {
        return id == null ? null : id.value();
    }
}
