package io.carechat.messaging.jdbc;

import io.carechat.messaging.spi.AuditChain;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.AuditQuery;
import io.carechat.messaging.spi.AuditRecord;
import io.carechat.messaging.spi.AuditTrail;
import io.carechat.messaging.tck.AuditTrailContract;
import io.carechat.messaging.tck.AuditTrailContract.Tampering;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import javax.sql.DataSource;

/** Edits the audit tables by hand SQL, as an attacker with database access would. */
final class AuditTampering {
    private AuditTampering() {}

    static void apply(DataSource dataSource, String prefix, Tampering tampering, AuditTrail trail) throws SQLException {
        String events = prefix + "audit_events";
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            switch (tampering) {
                case EDIT -> s.executeUpdate("UPDATE " + events + " SET object_id = 'forged' WHERE seq = 3");
                case DELETE -> s.executeUpdate("DELETE FROM " + events + " WHERE seq = 3");
                case DELETE_NEWEST -> s.executeUpdate("DELETE FROM " + events + " WHERE seq = 5");
                case REORDER -> {
                    s.executeUpdate("UPDATE " + events + " SET seq = -2 WHERE seq = 2");
                    s.executeUpdate("UPDATE " + events + " SET seq = 2 WHERE seq = 3");
                    s.executeUpdate("UPDATE " + events + " SET seq = 3 WHERE seq = -2");
                }
                case INSERT -> {
                    for (long seq = 5; seq >= 3; seq--) {
                        s.executeUpdate("UPDATE " + events + " SET seq = " + (seq + 1) + " WHERE seq = " + seq);
                    }
                    insertForged(c, events, 3, hashOf(c, events, 2));
                }
                case APPEND -> insertForged(c, events, 6, hashOf(c, events, 5));
                case REBUILD_PLAIN -> rebuildPlain(c, prefix, trail, false);
                case REBUILD_UNKEYED -> rebuildPlain(c, prefix, trail, true);
            }
        }
    }

    /** Recomputes every hash as plain SHA-256 over the stored events, as the unkeyed chain did, and moves the head. */
    private static void rebuildPlain(Connection c, String prefix, AuditTrail trail, boolean clearKeyIds)
            throws SQLException {
        String events = prefix + "audit_events";
        List<AuditRecord> records = trail.query(AuditQuery.between(null, null, AuditQuery.MAX_LIMIT));
        String previous = AuditChain.GENESIS;
        try (PreparedStatement update = c.prepareStatement("UPDATE " + events
                + " SET prev_hash = ?, hash = ?" + (clearKeyIds ? ", key_id = NULL" : "") + " WHERE seq = ?")) {
            for (AuditRecord r : records) {
                String hash = AuditChain.hash(previous, r.sequence(), r.event());
                update.setString(1, previous);
                update.setString(2, hash);
                update.setLong(3, r.sequence());
                update.executeUpdate();
                previous = hash;
            }
        }
        try (PreparedStatement head = c.prepareStatement("UPDATE " + prefix + "audit_chain_head SET last_hash = ? WHERE id = 1")) {
            head.setString(1, previous);
            head.executeUpdate();
        }
    }

    private static String hashOf(Connection c, String events, long seq) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT hash FROM " + events + " WHERE seq = ?")) {
            s.setLong(1, seq);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static void insertForged(Connection c, String events, long seq, String previous) throws SQLException {
        Instant time = Instant.parse("2026-03-01T10:00:30Z");
        AuditEvent forged = AuditEvent.builder(time, "message.send", AuditEvent.Outcome.SUCCESS).build();
        try (PreparedStatement s = c.prepareStatement("INSERT INTO " + events
                + " (seq, event_time, action, outcome, actor_roles, prev_hash, hash, key_id)"
                + " VALUES (?, ?, ?, ?, ',', ?, ?, ?)")) {
            s.setLong(1, seq);
            s.setObject(2, OffsetDateTime.ofInstant(time, ZoneOffset.UTC));
            s.setString(3, forged.action());
            s.setString(4, forged.outcome().name());
            s.setString(5, previous);
            s.setString(6, AuditChain.currentMacKey(AuditTrailContract.KEYS).hash(previous, seq, forged));
            s.setString(7, AuditTrailContract.KEYS.currentKeyId());
            s.executeUpdate();
        }
    }
}
