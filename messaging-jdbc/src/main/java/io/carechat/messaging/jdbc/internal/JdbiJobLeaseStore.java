package io.carechat.messaging.jdbc.internal;

import static io.carechat.messaging.jdbc.internal.StorageFailures.call;
import static java.util.Objects.requireNonNull;

import io.carechat.messaging.error.UnavailableException;
import io.carechat.messaging.spi.JobLeaseChecks;
import io.carechat.messaging.spi.JobLeaseStore;
import io.carechat.messaging.spi.JobRecord;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * {@link JobLeaseStore} on the {@code job_leases} table. A claim is one conditional
 * {@code UPDATE} (the database's row lock lets exactly one of concurrent claimants match), or,
 * for a job without a row yet, an {@code INSERT} that the primary key lets only one node win;
 * checkpoints and finishes are single-row updates guarded by the holder. Not API. Thread-safe;
 * every call takes its own handle.
 */
public final class JdbiJobLeaseStore implements JobLeaseStore {
    private static final String COLUMNS =
            "job_name, holder, lease_until, cursor_at, processed, started_at, ended_at, outcome, error_kind";

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
    public JdbiJobLeaseStore(Jdbi jdbi, SqlTemplates sql, Dialect dialect) {
        this.jdbi = requireNonNull(jdbi, "jdbi");
        this.sql = requireNonNull(sql, "sql");
        this.dialect = requireNonNull(dialect, "dialect");
    }

    @Override
    public Optional<JobRecord> claim(String jobName, String holder, Instant now, Instant leaseUntil,
            Instant dueIfEndedBy) {
        JobLeaseChecks.claim(jobName, holder, now, leaseUntil, dueIfEndedBy);
        try {
            return call(() -> jdbi.withHandle(h -> {
                // Take over a dead holder's run: keep its start, cursor and count.
                int taken = h.createUpdate(sql.render("UPDATE ${p}job_leases SET holder = :holder,"
                                + " lease_until = :until, outcome = 'RUNNING'"
                                + " WHERE job_name = :job AND holder IS NOT NULL AND lease_until <= :now"))
                        .bind("holder", holder)
                        .bind("until", dialect.timestamp(leaseUntil))
                        .bind("job", jobName)
                        .bind("now", dialect.timestamp(now))
                        .execute();
                if (taken == 0) {
                    // Start a due run: resume a kept cursor, else count from zero.
                    taken = h.createUpdate(sql.render("UPDATE ${p}job_leases SET holder = :holder,"
                                    + " lease_until = :until, started_at = :now, outcome = 'RUNNING',"
                                    + " processed = CASE WHEN cursor_at IS NULL THEN 0 ELSE processed END"
                                    + " WHERE job_name = :job AND holder IS NULL"
                                    + " AND (ended_at IS NULL OR ended_at <= :due OR outcome = 'STOPPED')"))
                            .bind("holder", holder)
                            .bind("until", dialect.timestamp(leaseUntil))
                            .bind("now", dialect.timestamp(now))
                            .bind("job", jobName)
                            .bind("due", dialect.timestamp(dueIfEndedBy))
                            .execute();
                }
                if (taken == 0) {
                    if (find(h, jobName).isPresent()) {
                        return Optional.<JobRecord>empty();
                    }
                    h.createUpdate(sql.render("INSERT INTO ${p}job_leases (job_name, holder, lease_until,"
                                    + " processed, started_at, outcome) VALUES (:job, :holder, :until, 0, :now, 'RUNNING')"))
                            .bind("job", jobName)
                            .bind("holder", holder)
                            .bind("until", dialect.timestamp(leaseUntil))
                            .bind("now", dialect.timestamp(now))
                            .execute();
                }
                return find(h, jobName).filter(row -> holder.equals(row.holder()));
            }));
        } catch (UnavailableException e) {
            // Another node inserted the job's first row at the same moment: it holds the job.
            if (dialect.isUniqueViolation(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public boolean checkpoint(String jobName, String holder, Instant leaseUntil, @Nullable String cursor,
            long processed) {
        JobLeaseChecks.progress(jobName, holder, cursor, processed);
        requireNonNull(leaseUntil, "leaseUntil");
        return call(() -> jdbi.withHandle(h -> h.createUpdate(sql.render("UPDATE ${p}job_leases"
                        + " SET lease_until = :until, cursor_at = :cursor, processed = :processed"
                        + " WHERE job_name = :job AND holder = :holder"))
                .bind("until", dialect.timestamp(leaseUntil))
                .bind("cursor", cursor)
                .bind("processed", processed)
                .bind("job", jobName)
                .bind("holder", holder)
                .execute())) > 0;
    }

    @Override
    public boolean finish(String jobName, String holder, Instant endedAt, JobRecord.Outcome outcome,
            @Nullable String errorKind, @Nullable String cursor, long processed) {
        JobLeaseChecks.progress(jobName, holder, cursor, processed);
        JobLeaseChecks.outcome(outcome, errorKind);
        requireNonNull(endedAt, "endedAt");
        return call(() -> jdbi.withHandle(h -> h.createUpdate(sql.render("UPDATE ${p}job_leases"
                        + " SET holder = NULL, lease_until = NULL, ended_at = :ended, outcome = :outcome,"
                        + " error_kind = :kind, cursor_at = :cursor, processed = :processed"
                        + " WHERE job_name = :job AND holder = :holder"))
                .bind("ended", dialect.timestamp(endedAt))
                .bind("outcome", outcome.name())
                .bind("kind", errorKind)
                .bind("cursor", cursor)
                .bind("processed", processed)
                .bind("job", jobName)
                .bind("holder", holder)
                .execute())) > 0;
    }

    @Override
    public List<JobRecord> all() {
        return call(() -> jdbi.withHandle(h -> h.createQuery(sql.render(
                        "SELECT " + COLUMNS + " FROM ${p}job_leases ORDER BY job_name"))
                .map((rs, ctx) -> row(rs))
                .list()));
    }

    private Optional<JobRecord> find(Handle h, String jobName) {
        return h.createQuery(sql.render("SELECT " + COLUMNS + " FROM ${p}job_leases WHERE job_name = :job"))
                .bind("job", jobName)
                .map((rs, ctx) -> row(rs))
                .findOne();
    }

    private static JobRecord row(ResultSet rs) throws SQLException {
        String outcome = rs.getString("outcome");
        return new JobRecord(rs.getString("job_name"), rs.getString("holder"), Rows.nullableInstant(rs, "lease_until"),
                rs.getString("cursor_at"), rs.getLong("processed"), Rows.nullableInstant(rs, "started_at"),
                Rows.nullableInstant(rs, "ended_at"), outcome == null ? null : JobRecord.Outcome.valueOf(outcome),
                rs.getString("error_kind"));
    }
}
