package io.carechat.messaging.jdbc.internal;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AuditChain;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.KeyProvider;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Extends the audit hash chain by a batch of events inside the writer's transaction, with a fixed
 * number of statements whatever the batch's size: it locks the one row of
 * {@code audit_chain_head}, inserts the events with the next sequence numbers, their chained hashes
 * and the id of the key that made them, and moves the head. Where the {@link Dialect}
 * {@linkplain Dialect#writesRowsAsArrays() writes rows as arrays} (PostgreSQL) the insert binds
 * each column as an array and moves the head in the same statement (two statements in all);
 * elsewhere (H2) the insert is a JDBC batch and the head moves in a statement of its own (three).
 * Once keyed ({@link #useKeys}) each hash is an HMAC-SHA256 under the current MAC key, looked up
 * once per batch (CPU only, no statement); before that it is the plain SHA-256. The head's lock is
 * held until the transaction commits, so writers on every node form one chain, and it is taken
 * once per batch rather than once per event. Not API. Thread-safe: the keys are replaced
 * atomically; the connection it is handed is not.
 */
final class AuditChainAppender {
    /** The columns of an audit event row, in the audit_events table. */
    static final String COLUMNS = "seq, event_time, action, outcome, actor_id, actor_roles,"
            + " client_address, client_id, object_type, object_id, patient_id, request_id, reason, prev_hash, hash,"
            + " key_id, event_count";
    private static final String INSERT = "INSERT INTO ${p}audit_events (" + COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    /** The columns after {@code seq} and {@code event_time}, all text; {@code event_count} follows them. */
    private static final int TEXT_COLUMNS = 14;
    private static final String MOVE_HEAD =
            "UPDATE ${p}audit_chain_head SET last_seq = ?, last_hash = ? WHERE id = 1";

    private final Dialect dialect;
    private final String lockHeadSql;
    /** Rows as arrays only: moves the head and inserts the events in one statement. */
    private final String insertArraysSql;
    private volatile @Nullable KeyProvider keys;

    /**
     * Creates the appender.
     *
     * @param dialect what differs on the database: how a row is locked, how a time is bound
     */
    AuditChainAppender(Dialect dialect) {
        this.dialect = requireNonNull(dialect, "dialect");
        this.lockHeadSql = "SELECT last_seq, last_hash FROM ${p}audit_chain_head WHERE id = 1" + dialect.forUpdate();
        String text = dialect.arrayParameter("VARCHAR");
        this.insertArraysSql = "WITH head AS (" + MOVE_HEAD + ") INSERT INTO ${p}audit_events (" + COLUMNS + ")"
                + " SELECT * FROM UNNEST(" + dialect.arrayParameter("BIGINT") + ", "
                + dialect.arrayParameter("TIMESTAMP WITH TIME ZONE") + ", " + String.join(", ", Collections.nCopies(TEXT_COLUMNS, text))
                + ", " + dialect.arrayParameter("INTEGER") + ")";
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
        List<Chained> chained = new ArrayList<>(events.size());
        for (AuditEvent event : events) {
            String prev = hash;
            seq++;
            hash = key == null ? AuditChain.hash(prev, seq, event) : key.hash(prev, seq, event);
            chained.add(new Chained(seq, event, prev, hash, key == null ? null : key.keyId()));
        }
        if (dialect.writesRowsAsArrays()) {
            insertAsArrays(c, chained, seq, hash);
        } else {
            insertRowByRow(c, chained, seq, hash);
        }
    }

    /** An event with its place in the chain. */
    private record Chained(long seq, AuditEvent event, String prev, String hash, @Nullable String keyId) {
        /** The text columns after {@code seq} and {@code event_time}, in {@link #COLUMNS}' order. */
        String[] text() {
            return new String[] {event.action(), event.outcome().name(), id(event.actorId()),
                event.actorRoles().isEmpty() ? "," : Rows.rolesColumn(event.actorRoles()), event.clientAddress(),
                event.clientId(), event.objectType(), event.objectId(), id(event.patientId()), event.requestId(),
                event.reason(), prev, hash, keyId};
        }
    }

    /** One statement: the head moves to {@code seq} and {@code hash}, and the events go in. */
    private void insertAsArrays(WriterConnection c, List<Chained> chained, long seq, String hash)
            throws SQLException {
        Connection connection = c.connection();
        PreparedStatement insert = c.prepare(insertArraysSql);
        insert.setLong(1, seq);
        insert.setString(2, hash);
        insert.setArray(3, dialect.array(connection, chained.stream().map(Chained::seq).toArray(Long[]::new)));
        insert.setArray(4, dialect.array(connection,
                chained.stream().map(e -> dialect.isoTime(e.event().time())).toArray(String[]::new)));
        String[][] rows = chained.stream().map(Chained::text).toArray(String[][]::new);
        for (int column = 0; column < TEXT_COLUMNS; column++) {
            String[] values = new String[rows.length];
            for (int row = 0; row < rows.length; row++) {
                values[row] = rows[row][column];
            }
            insert.setArray(column + 5, dialect.array(connection, values));
        }
        insert.setArray(TEXT_COLUMNS + 5,
                dialect.array(connection, chained.stream().map(e -> e.event().count()).toArray(Integer[]::new)));
        insert.executeUpdate();
    }

    /** A JDBC batch of one insert per event, then the head moves to {@code seq} and {@code hash}. */
    private void insertRowByRow(WriterConnection c, List<Chained> chained, long seq, String hash)
            throws SQLException {
        PreparedStatement insert = c.prepare(INSERT);
        for (Chained e : chained) {
            insert.setLong(1, e.seq());
            insert.setObject(2, dialect.timestamp(e.event().time()));
            String[] text = e.text();
            for (int column = 0; column < TEXT_COLUMNS; column++) {
                insert.setString(column + 3, text[column]);
            }
            insert.setInt(TEXT_COLUMNS + 3, e.event().count());
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
