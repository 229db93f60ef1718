package io.carechat.messaging.jdbc.internal;

import static io.carechat.messaging.jdbc.internal.StorageFailures.call;
import static java.util.Objects.requireNonNull;

import io.carechat.messaging.error.UnavailableException;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.LegalHold;
import io.carechat.messaging.spi.LegalHoldStore;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** {@link LegalHoldStore} on the {@code legal_holds} table. Not API. Thread-safe. */
public final class JdbiLegalHoldStore implements LegalHoldStore {
    private final Jdbi jdbi;
    private final SqlTemplates sql;
    private final Dialect dialect;

    /**
     * Creates the store.
     *
     * @param jdbi the configured Jdbi
     * @param sql the table-name renderer
     * @param dialect what differs on this database
     */
    public JdbiLegalHoldStore(Jdbi jdbi, SqlTemplates sql, Dialect dialect) {
        this.jdbi = requireNonNull(jdbi, "jdbi");
        this.sql = requireNonNull(sql, "sql");
        this.dialect = requireNonNull(dialect, "dialect");
    }

    @Override
    public boolean place(LegalHold hold) {
        requireNonNull(hold, "hold");
        try {
            return call(() -> jdbi.withHandle(h -> h.createUpdate(sql.render("INSERT INTO ${p}legal_holds"
                            + " (id, target, subject_id, placed_by, placed_at) VALUES (:id, :target, :subject, :by, :at)"))
                    .bind("id", hold.id())
                    .bind("target", hold.target().name())
                    .bind("subject", hold.subjectId())
                    .bind("by", hold.placedBy().value())
                    .bind("at", dialect.timestamp(hold.placedAt()))
                    .execute() == 1));
        } catch (UnavailableException e) {
            if (dialect.isUniqueViolation(e)) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public boolean release(String id) {
        requireNonNull(id, "id");
        return call(() -> jdbi.withHandle(h -> h.createUpdate(sql.render("DELETE FROM ${p}legal_holds WHERE id = :id"))
                .bind("id", id)
                .execute() == 1));
    }

    @Override
    public List<LegalHold> all() {
        return call(() -> jdbi.withHandle(h -> h.createQuery(sql.render(
                        "SELECT id, target, subject_id, placed_by, placed_at FROM ${p}legal_holds ORDER BY placed_at, id"))
                .map((rs, ctx) -> new LegalHold(rs.getString("id"), LegalHold.Target.valueOf(rs.getString("target")),
                        rs.getString("subject_id"), UserId.of(rs.getString("placed_by")), Rows.instant(rs, "placed_at")))
                .list()));
    }
}
