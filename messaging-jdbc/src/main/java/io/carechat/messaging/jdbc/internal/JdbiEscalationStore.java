package io.carechat.messaging.jdbc.internal;

import static io.carechat.messaging.jdbc.internal.StorageFailures.call;
import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.Escalation;
import io.carechat.messaging.model.EscalationOutcome;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.EscalationStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The on-call roster in {@code on_call} and escalations in {@code escalations}, whose rows the
 * {@link MessageAppender} inserts with the urgent messages. A claim is one conditional
 * {@code UPDATE}: only the claimant whose update changed the row goes on. {@link #complete} checks
 * the claim, records the outcome and adds the members in one transaction, under the conversation
 * row's lock that appends take too. Not API. Thread-safe; every call takes its own handle.
 * Lifecycle: made by {@code JdbcStorage}; holds nothing to close.
 */
public final class JdbiEscalationStore implements EscalationStore {
    private static final String COLUMNS = "conversation_id, seq, sender_id, due_at, outcome";

    private final Jdbi jdbi;
    private final SqlTemplates sql;
    private final Dialect dialect;

    /**
     * Creates the store.
     *
     * @param jdbi the database
     * @param sql renders the table prefix
     * @param dialect what differs per database
     */
    public JdbiEscalationStore(Jdbi jdbi, SqlTemplates sql, Dialect dialect) {
        this.jdbi = requireNonNull(jdbi, "jdbi");
        this.sql = requireNonNull(sql, "sql");
        this.dialect = requireNonNull(dialect, "dialect");
    }

    @Override
    public List<UserId> onCall() {
        return call(() -> jdbi.withHandle(h -> h.createQuery(sql.render(
                        "SELECT user_id FROM ${p}on_call ORDER BY position"))
                .map((rs, ctx) -> UserId.of(rs.getString(1)))
                .list()));
    }

    @Override
    public void replaceOnCall(List<UserId> doctorIds) {
        List<UserId> ids = List.copyOf(doctorIds);
        if (ids.size() > MAX_ON_CALL || new HashSet<>(ids).size() != ids.size()) {
            throw new IllegalArgumentException("the roster holds at most " + MAX_ON_CALL + " distinct doctors");
        }
        call(() -> jdbi.inTransaction(h -> {
            h.createUpdate(sql.render("DELETE FROM ${p}on_call")).execute();
            for (int i = 0; i < ids.size(); i++) {
                h.createUpdate(sql.render("INSERT INTO ${p}on_call (user_id, position) VALUES (:u, :p)"))
                        .bind("u", ids.get(i).value())
                        .bind("p", i)
                        .execute();
            }
            return ids.size();
        }));
    }

    @Override
    public List<Escalation> due(Instant now, int limit) {
        requireNonNull(now, "now");
        checkLimit(limit);
        return call(() -> jdbi.withHandle(h -> h.createQuery(sql.render("SELECT " + COLUMNS
                        + " FROM ${p}escalations WHERE done_at IS NULL AND due_at <= :now"
                        + " AND (lease_until IS NULL OR lease_until <= :now)"
                        + " ORDER BY due_at, conversation_id, seq" + dialect.limit(":limit")))
                .bind("now", dialect.timestamp(now))
                .bind("limit", limit)
                .map((rs, ctx) -> escalation(rs))
                .list()));
    }

    @Override
    public boolean claim(ConversationId conversationId, long seq, String claimant, Instant now, Instant leaseUntil) {
        requireNonNull(conversationId, "conversationId");
        requireNonNull(claimant, "claimant");
        requireNonNull(now, "now");
        requireNonNull(leaseUntil, "leaseUntil");
        return call(() -> jdbi.withHandle(h -> h.createUpdate(sql.render("UPDATE ${p}escalations"
                        + " SET claimed_by = :claimant, lease_until = :until"
                        + " WHERE conversation_id = :c AND seq = :seq AND done_at IS NULL AND due_at <= :now"
                        + " AND (lease_until IS NULL OR lease_until <= :now)"))
                .bind("claimant", claimant)
                .bind("until", dialect.timestamp(leaseUntil))
                .bind("c", conversationId.value())
                .bind("seq", seq)
                .bind("now", dialect.timestamp(now))
                .execute() == 1));
    }

    @Override
    public Optional<List<UserId>> complete(ConversationId conversationId, long seq, String claimant,
            EscalationOutcome outcome, List<UserId> addMembers, Instant now) {
        requireNonNull(conversationId, "conversationId");
        requireNonNull(claimant, "claimant");
        requireNonNull(outcome, "outcome");
        requireNonNull(now, "now");
        List<UserId> candidates = List.copyOf(addMembers);
        Instant at = dialect.truncate(now);
        return call(() -> jdbi.inTransaction(h -> {
            Optional<Long> lastSeq = h.createQuery(sql.render(
                            "SELECT last_seq FROM ${p}conversations WHERE id = :c" + dialect.forUpdate()))
                    .bind("c", conversationId.value())
                    .mapTo(Long.class)
                    .findOne();
            int ended = h.createUpdate(sql.render("UPDATE ${p}escalations"
                            + " SET outcome = :outcome, done_at = :at, lease_until = NULL"
                            + " WHERE conversation_id = :c AND seq = :seq AND done_at IS NULL AND claimed_by = :claimant"))
                    .bind("outcome", outcome.name())
                    .bind("at", dialect.timestamp(at))
                    .bind("c", conversationId.value())
                    .bind("seq", seq)
                    .bind("claimant", claimant)
                    .execute();
            if (ended == 0 || lastSeq.isEmpty()) {
                return Optional.<List<UserId>>empty();
            }
            List<UserId> added = new ArrayList<>();
            for (UserId doctor : candidates) {
                if (join(h, conversationId, doctor, Math.min(seq - 1, lastSeq.get()), at)) {
                    added.add(doctor);
                }
            }
            return Optional.of(List.copyOf(added));
        }));
    }

    /** Adds a member who sees the messages after {@code from}; false when they are a member already. */
    private boolean join(Handle h, ConversationId conversationId, UserId userId, long from, Instant at) {
        boolean member = h.createQuery(sql.render("SELECT COUNT(*) FROM ${p}members"
                        + " WHERE conversation_id = :c AND user_id = :u"))
                .bind("c", conversationId.value())
                .bind("u", userId.value())
                .mapTo(Long.class)
                .one() > 0;
        if (member) {
            return false;
        }
        long unread = h.createQuery(sql.render("SELECT COUNT(*) FROM ${p}messages"
                        + " WHERE conversation_id = :c AND seq > :from AND sender_id <> :u"))
                .bind("c", conversationId.value())
                .bind("from", from)
                .bind("u", userId.value())
                .mapTo(Long.class)
                .one();
        int order = h.createQuery(sql.render("SELECT COALESCE(MAX(join_order), -1) + 1"
                        + " FROM ${p}members WHERE conversation_id = :c"))
                .bind("c", conversationId.value())
                .mapTo(Integer.class)
                .one();
        h.createUpdate(sql.render("INSERT INTO ${p}members (conversation_id, user_id, join_order,"
                        + " delivered_seq, read_seq, unread, joined_seq)"
                        + " VALUES (:c, :u, :order, :from, :from, :unread, :from)"))
                .bind("c", conversationId.value())
                .bind("u", userId.value())
                .bind("order", order)
                .bind("from", from)
                .bind("unread", unread)
                .execute();
        int period = h.createQuery(sql.render("SELECT COALESCE(MAX(period), 0) + 1"
                        + " FROM ${p}member_periods WHERE conversation_id = :c AND user_id = :u"))
                .bind("c", conversationId.value())
                .bind("u", userId.value())
                .mapTo(Integer.class)
                .one();
        h.createUpdate(sql.render("INSERT INTO ${p}member_periods (conversation_id, user_id, period, joined_at,"
                        + " joined_seq, left_at, left_seq) VALUES (:c, :u, :period, :at, :from, NULL, NULL)"))
                .bind("c", conversationId.value())
                .bind("u", userId.value())
                .bind("period", period)
                .bind("at", dialect.timestamp(at))
                .bind("from", from)
                .execute();
        return true;
    }

    @Override
    public Optional<Escalation> find(ConversationId conversationId, long seq) {
        requireNonNull(conversationId, "conversationId");
        return call(() -> jdbi.withHandle(h -> h.createQuery(sql.render("SELECT " + COLUMNS
                        + " FROM ${p}escalations WHERE conversation_id = :c AND seq = :seq"))
                .bind("c", conversationId.value())
                .bind("seq", seq)
                .map((rs, ctx) -> escalation(rs))
                .findOne()));
    }

    @Override
    public List<Escalation> escalated(ConversationId conversationId, int limit) {
        requireNonNull(conversationId, "conversationId");
        checkLimit(limit);
        return call(() -> jdbi.withHandle(h -> h.createQuery(sql.render("SELECT " + COLUMNS
                        + " FROM ${p}escalations WHERE conversation_id = :c AND outcome = :outcome"
                        + " ORDER BY seq" + dialect.limit(":limit")))
                .bind("c", conversationId.value())
                .bind("outcome", EscalationOutcome.ESCALATED.name())
                .bind("limit", limit)
                .map((rs, ctx) -> escalation(rs))
                .list()));
    }

    private static void checkLimit(int limit) {
        if (limit < 1 || limit > 1_000) {
            throw new IllegalArgumentException("limit must be 1 to 1000");
        }
    }

    private static Escalation escalation(ResultSet rs) throws SQLException {
        String outcome = rs.getString("outcome");
        return new Escalation(ConversationId.of(rs.getString("conversation_id")), rs.getLong("seq"),
                UserId.of(rs.getString("sender_id")), Rows.instant(rs, "due_at"),
                outcome == null ? null : EscalationOutcome.valueOf(outcome));
    }
}
