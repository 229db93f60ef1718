package io.carechat.messaging.jdbc.internal;

import static io.carechat.messaging.jdbc.internal.StorageFailures.call;
import static java.util.Objects.requireNonNull;

import io.carechat.messaging.error.ConflictException;
import io.carechat.messaging.error.UnavailableException;
import io.carechat.messaging.model.BreakGlassGrant;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.BreakGlassStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Break-glass grants in {@code break_glass_grants}. Not API. Thread-safe; every call takes its
 * own handle.
 */
public final class JdbiBreakGlassStore implements BreakGlassStore {
    private static final String COLUMNS = "id, conversation_id, doctor_id, reason, granted_at, expires_at";

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
    public JdbiBreakGlassStore(Jdbi jdbi, SqlTemplates sql, Dialect dialect) {
        this.jdbi = requireNonNull(jdbi, "jdbi");
        this.sql = requireNonNull(sql, "sql");
        this.dialect = requireNonNull(dialect, "dialect");
    }

    @Override
    public void save(BreakGlassGrant grant) {
        requireNonNull(grant, "grant");
        try {
            call(() -> jdbi.withHandle(h -> h.createUpdate(sql.render("INSERT INTO ${p}break_glass_grants ("
                            + COLUMNS + ") VALUES (:id, :conversation, :doctor, :reason, :granted, :expires)"))
                    .bind("id", grant.id())
                    .bind("conversation", grant.conversationId().value())
                    .bind("doctor", grant.doctorId().value())
                    .bind("reason", grant.reason())
                    .bind("granted", dialect.timestamp(grant.grantedAt()))
                    .bind("expires", dialect.timestamp(grant.expiresAt()))
                    .execute()));
        } catch (UnavailableException e) {
            if (dialect.isUniqueViolation(e)) {
                throw new ConflictException("a break-glass grant with this id is stored");
            }
            throw e;
        }
    }

    @Override
    public Optional<BreakGlassGrant> active(ConversationId conversationId, UserId doctorId, Instant now) {
        requireNonNull(conversationId, "conversationId");
        requireNonNull(doctorId, "doctorId");
        requireNonNull(now, "now");
        return call(() -> jdbi.withHandle(h -> h.createQuery(sql.render("SELECT " + COLUMNS
                        + " FROM ${p}break_glass_grants WHERE conversation_id = :conversation AND doctor_id = :doctor"
                        + " AND expires_at > :now AND granted_at <= :now ORDER BY expires_at DESC, id"))
                .bind("conversation", conversationId.value())
                .bind("doctor", doctorId.value())
                .bind("now", dialect.timestamp(now))
                .map((rs, ctx) -> grant(rs))
                .findFirst()));
    }

    @Override
    public Optional<BreakGlassGrant> find(String id) {
        requireNonNull(id, "id");
        return call(() -> jdbi.withHandle(h -> h.createQuery(sql.render("SELECT " + COLUMNS
                        + " FROM ${p}break_glass_grants WHERE id = :id"))
                .bind("id", id)
                .map((rs, ctx) -> grant(rs))
                .findFirst()));
    }

    @Override
    public List<BreakGlassGrant> allActive(Instant now, int limit) {
        requireNonNull(now, "now");
        if (limit < 1 || limit > 10_000) {
            throw new IllegalArgumentException("limit must be 1 to 10000");
        }
        return call(() -> jdbi.withHandle(h -> h.createQuery(sql.render("SELECT " + COLUMNS
                        + " FROM ${p}break_glass_grants WHERE expires_at > :now AND granted_at <= :now"
                        + " ORDER BY granted_at, id" + dialect.limit(":limit")))
                .bind("now", dialect.timestamp(now))
                .bind("limit", limit)
                .map((rs, ctx) -> grant(rs))
                .list()));
    }

    private static BreakGlassGrant grant(ResultSet rs) throws SQLException {
        return new BreakGlassGrant(rs.getString("id"), ConversationId.of(rs.getString("conversation_id")),
                UserId.of(rs.getString("doctor_id")), rs.getString("reason"), Rows.instant(rs, "granted_at"),
                Rows.instant(rs, "expires_at"));
    }
}
