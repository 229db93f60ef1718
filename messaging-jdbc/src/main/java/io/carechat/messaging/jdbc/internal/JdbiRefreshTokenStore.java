package io.carechat.messaging.jdbc.internal;

import static io.carechat.messaging.jdbc.internal.StorageFailures.call;
import static java.util.Objects.requireNonNull;

import io.carechat.messaging.error.ConflictException;
import io.carechat.messaging.error.NotFoundException;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.RefreshTokenStore;
import io.carechat.messaging.spi.StoredRefreshToken;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * {@link RefreshTokenStore} on the {@code refresh_tokens} table, keyed by the token's hash.
 * Rotation is one transaction whose conditional update
 * {@code UPDATE ... SET used = true WHERE token_hash = ? AND used = false AND revoked = false}
 * decides the race: the database's row lock lets exactly one of concurrent rotations change the
 * row, and every other one then finds it used (or revoked). Rows stay after rotation and
 * revocation, so reuse is recognised. Not API. Thread-safe: every call runs on its own handle.
 */
public final class JdbiRefreshTokenStore implements RefreshTokenStore {
    private static final String COLUMNS = "token_hash, family_id, user_id, issued_at, expires_at, family_expires_at, used, revoked";

    private static final RowMapper<Row> ROW = (rs, ctx) -> new Row(
            new StoredRefreshToken(
                    rs.getString("token_hash"),
                    rs.getString("family_id"),
                    UserId.of(rs.getString("user_id")),
                    Rows.instant(rs, "issued_at"),
                    Rows.instant(rs, "expires_at"),
                    Rows.instant(rs, "family_expires_at")),
            rs.getBoolean("used"),
            rs.getBoolean("revoked"));

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
    public JdbiRefreshTokenStore(Jdbi jdbi, SqlTemplates sql, Dialect dialect) {
        this.jdbi = requireNonNull(jdbi, "jdbi");
        this.sql = requireNonNull(sql, "sql");
        this.dialect = requireNonNull(dialect, "dialect");
    }

    @Override
    public void create(StoredRefreshToken token) {
        requireNonNull(token, "token");
        StorageFailures.run(() -> jdbi.useHandle(h -> insert(h, token)));
    }

    @Override
    public Rotation rotate(String presentedHash, String successorHash, Instant now, Instant successorExpiresAt) {
        requireNonNull(presentedHash, "presentedHash");
        requireNonNull(successorHash, "successorHash");
        requireNonNull(now, "now");
        requireNonNull(successorExpiresAt, "successorExpiresAt");
        return call(() -> jdbi.inTransaction(h -> {
            Optional<Row> found = find(h, presentedHash);
            if (found.isEmpty()) {
                return new Rotation(Outcome.UNKNOWN, null, null);
            }
            Row row = found.get();
            if (row.revoked() || row.used()) {
                return refused(row);
            }
            if (!now.isBefore(row.token().expiresAt())) {
                return new Rotation(Outcome.EXPIRED, row.token(), null);
            }
            int won = h.createUpdate(sql.render("UPDATE ${p}refresh_tokens SET used = true, used_at = :now"
                            + " WHERE token_hash = :hash AND used = false AND revoked = false"))
                    .bind("now", dialect.timestamp(now))
                    .bind("hash", presentedHash)
                    .execute();
            if (won == 0) {
                // A concurrent rotation or revocation changed the row after it was read.
                return refused(find(h, presentedHash).orElseThrow());
            }
            StoredRefreshToken successor = row.token().successor(successorHash, dialect.truncate(now),
                    dialect.truncate(successorExpiresAt));
            insert(h, successor);
            return new Rotation(Outcome.ROTATED, row.token(), successor);
        }));
    }

    @Override
    public int revokeFamily(String familyId, Instant now) {
        requireNonNull(familyId, "familyId");
        requireNonNull(now, "now");
        return revokeWhere("family_id", familyId, now);
    }

    @Override
    public int revokeAll(UserId userId, Instant now) {
        requireNonNull(userId, "userId");
        requireNonNull(now, "now");
        return revokeWhere("user_id", userId.value(), now);
    }

    private int revokeWhere(String column, String value, Instant now) {
        return call(() -> jdbi.withHandle(h -> h.createUpdate(sql.render(
                        "UPDATE ${p}refresh_tokens SET revoked = true, revoked_at = :now"
                                + " WHERE " + column + " = :value AND revoked = false"))
                .bind("now", dialect.timestamp(now))
                .bind("value", value)
                .execute()));
    }

    private Optional<Row> find(Handle h, String hash) {
        return h.createQuery(sql.render("SELECT " + COLUMNS + " FROM ${p}refresh_tokens WHERE token_hash = :hash"))
                .bind("hash", hash)
                .map(ROW)
                .findOne();
    }

    private void insert(Handle h, StoredRefreshToken token) {
        try {
            h.createUpdate(sql.render("INSERT INTO ${p}refresh_tokens"
                            + " (token_hash, family_id, user_id, issued_at, expires_at, family_expires_at, used, revoked)"
                            + " VALUES (:hash, :family, :user, :issuedAt, :expiresAt, :familyExpiresAt, false, false)"))
                    .bind("hash", token.tokenHash())
                    .bind("family", token.familyId())
                    .bind("user", token.userId().value())
                    .bind("issuedAt", dialect.timestamp(token.issuedAt()))
                    .bind("expiresAt", dialect.timestamp(token.expiresAt()))
                    .bind("familyExpiresAt", dialect.timestamp(token.familyExpiresAt()))
                    .execute();
        } catch (JdbiException e) {
            if (dialect.isUniqueViolation(e)) {
                throw new ConflictException("refresh token exists");
            }
            if (dialect.isForeignKeyViolation(e)) {
                throw new NotFoundException("no such user");
            }
            throw e;
        }
    }

    private static Rotation refused(Row row) {
        return new Rotation(row.revoked() ? Outcome.REVOKED : Outcome.REUSED, row.token(), null);
    }

    /** A stored token with its flags. */
    private record Row(StoredRefreshToken token, boolean used, boolean revoked) {}
}
