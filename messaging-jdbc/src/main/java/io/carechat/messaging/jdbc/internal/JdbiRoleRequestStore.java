package io.carechat.messaging.jdbc.internal;

import static io.carechat.messaging.jdbc.internal.StorageFailures.call;
import static java.util.Objects.requireNonNull;

import io.carechat.messaging.error.ConflictException;
import io.carechat.messaging.error.NotFoundException;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.RoleRequest;
import io.carechat.messaging.model.RoleRequestId;
import io.carechat.messaging.model.RoleRequestStatus;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.RoleRequestStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jspecify.annotations.Nullable;

/**
 * {@link RoleRequestStore} on the {@code role_requests} table. One pending request per user and
 * role through the unique {@code pending_key}; a decision is a conditional update, so of two
 * concurrent decisions one wins. Not API. Thread-safe.
 */
public final class JdbiRoleRequestStore implements RoleRequestStore {
    private static final String COLUMNS =
            "id, user_id, role, note, status, created_at, decided_at, decided_by";

    private static final RowMapper<RoleRequest> REQUEST = (rs, ctx) -> {
        String decidedBy = rs.getString("decided_by");
        return new RoleRequest(
                RoleRequestId.of(rs.getString("id")),
                UserId.of(rs.getString("user_id")),
                Role.valueOf(rs.getString("role")),
                rs.getString("note"),
                RoleRequestStatus.valueOf(rs.getString("status")),
                Rows.instant(rs, "created_at"),
                Rows.nullableInstant(rs, "decided_at"),
                decidedBy == null ? null : UserId.of(decidedBy));
    };

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
    public JdbiRoleRequestStore(Jdbi jdbi, SqlTemplates sql, Dialect dialect) {
        this.jdbi = requireNonNull(jdbi, "jdbi");
        this.sql = requireNonNull(sql, "sql");
        this.dialect = requireNonNull(dialect, "dialect");
    }

    @Override
    public RoleRequest create(RoleRequest request) {
        requireNonNull(request, "request");
        if (request.status() != RoleRequestStatus.PENDING) {
            throw new IllegalArgumentException("a new role request is pending");
        }
        RoleRequest stored = new RoleRequest(request.id(), request.userId(), request.role(), request.note(),
                request.status(), dialect.truncate(request.createdAt()), null, null);
        return call(() -> {
            try {
                jdbi.useHandle(h -> h.createUpdate(sql.render("INSERT INTO ${p}role_requests"
                                + " (id, user_id, role, note, status, created_at, pending_key)"
                                + " VALUES (:id, :user, :role, :note, :status, :createdAt, :pendingKey)"))
                        .bind("id", stored.id().value())
                        .bind("user", stored.userId().value())
                        .bind("role", stored.role().name())
                        .bind("note", stored.note())
                        .bind("status", stored.status().name())
                        .bind("createdAt", dialect.timestamp(stored.createdAt()))
                        .bind("pendingKey", stored.userId().value() + ":" + stored.role().name())
                        .execute());
            } catch (JdbiException e) {
                if (dialect.isForeignKeyViolation(e)) {
                    throw new NotFoundException("no such user");
                }
                if (dialect.isUniqueViolation(e)) {
                    throw new ConflictException("a request for this role is already pending");
                }
                throw e;
            }
            return stored;
        });
    }

    @Override
    public Optional<RoleRequest> find(RoleRequestId id) {
        requireNonNull(id, "id");
        return call(() -> jdbi.withHandle(h -> findRequest(h, id)));
    }

    private Optional<RoleRequest> findRequest(Handle h, RoleRequestId id) {
        return h.createQuery(sql.render("SELECT " + COLUMNS + " FROM ${p}role_requests WHERE id = :id"))
                .bind("id", id.value())
                .map(REQUEST)
                .findOne();
    }

    @Override
    public List<RoleRequest> pending(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        return call(() -> jdbi.withHandle(h -> h.createQuery(sql.render("SELECT " + COLUMNS
                        + " FROM ${p}role_requests WHERE status = :pending ORDER BY created_at, id" + dialect.limit(":limit")))
                .bind("pending", RoleRequestStatus.PENDING.name())
                .bind("limit", limit)
                .map(REQUEST)
                .list()));
    }

    @Override
    public RoleRequest decide(RoleRequestId id, RoleRequestStatus status, UserId admin, Instant now) {
        requireNonNull(id, "id");
        requireNonNull(status, "status");
        requireNonNull(admin, "admin");
        requireNonNull(now, "now");
        if (status == RoleRequestStatus.PENDING) {
            throw new IllegalArgumentException("a decision approves or denies");
        }
        return call(() -> jdbi.inTransaction(h -> {
            int updated = h.createUpdate(sql.render("UPDATE ${p}role_requests"
                            + " SET status = :status, decided_at = :now, decided_by = :admin, pending_key = NULL"
                            + " WHERE id = :id AND status = :pending"))
                    .bind("status", status.name())
                    .bind("now", dialect.timestamp(now))
                    .bind("admin", admin.value())
                    .bind("id", id.value())
                    .bind("pending", RoleRequestStatus.PENDING.name())
                    .execute();
            Optional<RoleRequest> request = findRequest(h, id);
            if (request.isEmpty()) {
                throw new NotFoundException("no such role request");
            }
            if (updated == 0) {
                throw new ConflictException("the role request was already decided");
            }
            return request.get();
        }));
    }

    @Override
    public List<RoleRequest> scan(@Nullable RoleRequestId after, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        return call(() -> jdbi.withHandle(h -> h.createQuery(sql.render("SELECT " + COLUMNS
                        + " FROM ${p}role_requests WHERE id > :after ORDER BY id" + dialect.limit(":limit")))
                .bind("after", after == null ? "" : after.value())
                .bind("limit", limit)
                .map(REQUEST)
                .list()));
    }

    @Override
    public boolean replaceNote(RoleRequestId id, String expected, String replacement) {
        requireNonNull(id, "id");
        requireNonNull(expected, "expected");
        requireNonNull(replacement, "replacement");
        return call(() -> jdbi.withHandle(h -> h.createUpdate(sql.render(
                        "UPDATE ${p}role_requests SET note = :replacement WHERE id = :id AND note = :expected"))
                .bind("replacement", replacement)
                .bind("id", id.value())
                .bind("expected", expected)
                .execute() == 1));
    }
}
