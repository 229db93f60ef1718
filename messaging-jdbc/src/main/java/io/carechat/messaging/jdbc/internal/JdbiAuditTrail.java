package io.carechat.messaging.jdbc.internal;

import static io.carechat.messaging.jdbc.internal.StorageFailures.call;
import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AuditChain;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.AuditQuery;
import io.carechat.messaging.spi.AuditRecord;
import io.carechat.messaging.spi.AuditTrail;
import io.carechat.messaging.spi.ChainVerification;
import io.carechat.messaging.spi.KeyProvider;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.jspecify.annotations.Nullable;

/**
 * {@link AuditTrail} on the {@code audit_events} table, each event with the id of its MAC key in
 * {@code key_id} (null for events written before the chain was keyed; the keys themselves never
 * reach the database) and the number of occurrences it stands for in {@code event_count}. Events go through the group-commit writer with the messages: each batch locks the one row of {@code audit_chain_head}
 * ({@code SELECT ... FOR UPDATE}) once, so events from every thread and every node form one chain
 * and no caller takes that lock on its own. {@link #record} returns once its batch committed.
 * Not API. Thread-safe.
 */
public final class JdbiAuditTrail implements AuditTrail {
    private static final String COLUMNS = AuditChainAppender.COLUMNS;
    private static final int VERIFY_PAGE = 1_000;

    private static final RowMapper<AuditRecord> RECORD = (rs, ctx) -> new AuditRecord(
            rs.getLong("seq"), event(rs), rs.getString("prev_hash"), rs.getString("hash"), rs.getString("key_id"));

    /** Maps a row edited into values no event can hold to a record whose hash cannot match. */
    private static final RowMapper<AuditRecord> RECORD_OR_UNREADABLE = (rs, ctx) -> {
        try {
            return RECORD.map(rs, ctx);
        } catch (IllegalArgumentException e) {
            return new AuditRecord(rs.getLong("seq"),
                    AuditEvent.builder(Instant.EPOCH, "unreadable", AuditEvent.Outcome.FAILURE).build(),
                    String.valueOf(rs.getString("prev_hash")), "unreadable", rs.getString("key_id"));
        }
    };

    private final Jdbi jdbi;
    private final SqlTemplates sql;
    private final Dialect dialect;
    private final GroupCommitWriter writer;
    private volatile @Nullable KeyProvider keys;

    /**
     * Creates the trail.
     *
     * @param jdbi the configured Jdbi, for reading
     * @param sql the table-name renderer
     * @param dialect what differs on this database
     * @param writer the group-commit writer every event goes through
     */
    public JdbiAuditTrail(Jdbi jdbi, SqlTemplates sql, Dialect dialect, GroupCommitWriter writer) {
        this.jdbi = requireNonNull(jdbi, "jdbi");
        this.sql = requireNonNull(sql, "sql");
        this.dialect = requireNonNull(dialect, "dialect");
        this.writer = requireNonNull(writer, "writer");
    }

    @Override
    public void record(AuditEvent event) {
        writer.record(requireNonNull(event, "event"));
    }

    @Override
    public void useKeys(KeyProvider value) {
        requireNonNull(value, "keys");
        writer.useAuditKeys(value);
        this.keys = value;
    }

    @Override
    public List<AuditRecord> query(AuditQuery q) {
        requireNonNull(q, "query");
        StringBuilder where = new StringBuilder(" WHERE seq > :after");
        if (q.from() != null) {
            where.append(" AND event_time >= :from");
        }
        if (q.to() != null) {
            where.append(" AND event_time < :to");
        }
        if (q.actor() != null) {
            where.append(" AND actor_id = :actor");
        }
        if (q.action() != null) {
            where.append(" AND action = :action");
        }
        return call(() -> jdbi.withHandle(h -> {
            Query query = h.createQuery(sql.render("SELECT " + COLUMNS + " FROM ${p}audit_events" + where
                            + " ORDER BY seq" + dialect.limit(":limit")))
                    .bind("after", q.afterSequence())
                    .bind("limit", q.limit());
            if (q.from() != null) {
                query.bind("from", dialect.timestamp(q.from()));
            }
            if (q.to() != null) {
                query.bind("to", dialect.timestamp(q.to()));
            }
            if (q.actor() != null) {
                query.bind("actor", q.actor().value());
            }
            if (q.action() != null) {
                query.bind("action", q.action());
            }
            return query.map(RECORD).list();
        }));
    }

    /** Reads the patient's index ({@code audit_events_patient_idx}) newest first. */
    @Override
    public List<AuditRecord> patientAccesses(UserId patient, Set<String> actions, @Nullable Long beforeSequence,
            int limit) {
        requireNonNull(patient, "patient");
        requireNonNull(actions, "actions");
        if (limit < 1 || limit > AuditQuery.MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1 to " + AuditQuery.MAX_LIMIT);
        }
        if (actions.isEmpty()) {
            return List.of();
        }
        List<String> names = List.copyOf(actions);
        StringBuilder where = new StringBuilder(" WHERE patient_id = :patient AND outcome = :success"
                + " AND actor_id IS NOT NULL AND actor_id <> :patient AND action IN (");
        for (int i = 0; i < names.size(); i++) {
            where.append(i == 0 ? "" : ", ").append(":action").append(i);
        }
        where.append(')');
        if (beforeSequence != null) {
            where.append(" AND seq < :before");
        }
        return call(() -> jdbi.withHandle(h -> {
            Query query = h.createQuery(sql.render("SELECT " + COLUMNS + " FROM ${p}audit_events" + where
                            + " ORDER BY seq DESC" + dialect.limit(":limit")))
                    .bind("patient", patient.value())
                    .bind("success", AuditEvent.Outcome.SUCCESS.name())
                    .bind("limit", limit);
            for (int i = 0; i < names.size(); i++) {
                query.bind("action" + i, names.get(i));
            }
            if (beforeSequence != null) {
                query.bind("before", beforeSequence.longValue());
            }
            return query.map(RECORD).list();
        }));
    }

    @Override
    public ChainVerification verify() {
        return call(() -> jdbi.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, h -> {
            Head head = h.createQuery(sql.render("SELECT last_seq, last_hash FROM ${p}audit_chain_head WHERE id = 1"))
                    .map((rs, ctx) -> new Head(rs.getLong("last_seq"), rs.getString("last_hash")))
                    .one();
            Iterable<AuditRecord> pages = () -> new PagedRecords(h);
            return AuditChain.verify(pages, head.seq(), head.hash(), keys);
        }));
    }

    private static AuditEvent event(ResultSet rs) throws SQLException {
        String outcome = rs.getString("outcome");
        return new AuditEvent(
                Rows.instant(rs, "event_time"),
                rs.getString("action"),
                AuditEvent.Outcome.valueOf(outcome),
                userId(rs.getString("actor_id")),
                roles(rs.getString("actor_roles")),
                rs.getString("client_address"),
                rs.getString("client_id"),
                rs.getString("object_type"),
                rs.getString("object_id"),
                userId(rs.getString("patient_id")),
                rs.getString("request_id"),
                rs.getString("reason"),
                rs.getInt("event_count"));
    }

    private static Set<Role> roles(String column) {
        EnumSet<Role> roles = EnumSet.noneOf(Role.class);
        for (String name : column.split(",")) {
            if (!name.isEmpty()) {
                roles.add(Role.valueOf(name));
            }
        }
        return roles;
    }

    private static @Nullable UserId userId(@Nullable String value) {
        return value == null ? null : UserId.of(value);
    }

    private static @Nullable String id(@Nullable UserId id) {
        return id == null ? null : id.value();
    }

    private record Head(long seq, String hash) {}

    /** Reads the whole chain in pages of {@value #VERIFY_PAGE}, so verifying never holds it all. */
    private final class PagedRecords implements Iterator<AuditRecord> {
        private final Handle h;
        private List<AuditRecord> page = List.of();
        private int next;
        private long after = -1;
        private boolean last;

        PagedRecords(Handle h) {
            this.h = h;
        }

        @Override
        public boolean hasNext() {
            if (next < page.size()) {
                return true;
            }
            if (last) {
                return false;
            }
            page = h.createQuery(sql.render("SELECT " + COLUMNS
                            + " FROM ${p}audit_events WHERE seq > :after ORDER BY seq" + dialect.limit(":limit")))
                    .bind("after", after)
                    .bind("limit", VERIFY_PAGE)
                    .map(RECORD_OR_UNREADABLE)
                    .list();
            next = 0;
            last = page.size() < VERIFY_PAGE;
            if (!page.isEmpty()) {
                after = page.get(page.size() - 1).sequence();
            }
            return !page.isEmpty();
        }

        @Override
        public AuditRecord next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return page.get(next++);
        }
    }
}
