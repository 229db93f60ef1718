package io.carechat.messaging.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MariaDB (tested on 10.11) and MySQL 8, through either's JDBC driver. Not API. Immutable and
 * thread-safe.
 *
 * <p>What differs from the defaults:
 * <ul>
 *   <li>Migrations: its own scripts ({@link #LOCATION}), in utf8mb4 with the binary collation
 *       (ids compare case-sensitively), with times in {@code DATETIME(6)}.</li>
 *   <li>Times: {@code DATETIME(6)} columns hold UTC; a time is bound as a {@link LocalDateTime} in
 *       UTC, which no driver shifts by a time zone, and read back as UTC by {@link Rows}. The
 *       session's time zone plays no part. Microseconds are kept.</li>
 *   <li>Sets: there are no array parameters, so a set is one parameter per value
 *       ({@code IN (?, ?, ...)}) and pairs a row-value list ({@code (a, b) IN ((?, ?), ...)}),
 *       which the optimizer looks up through the two-column index. The number of parameters is
 *       rounded up to a power of two (the last value repeated), so a statement takes one of a
 *       few shapes and the writer's prepared statements are reused.</li>
 *   <li>Batches: the group-commit writer sends JDBC batches, as on H2.</li>
 *   <li>Isolation: MariaDB and MySQL default to REPEATABLE READ; the stores are written for READ
 *       COMMITTED, as H2 and PostgreSQL run by default, so each connection is set to it
 *       ({@link #sessions(DataSource)}). A pool configured for READ COMMITTED saves that step.</li>
 *   <li>Failures: every constraint violation has SQL state 23000, so they are told apart by the
 *       server's error code: 1062 (and 1586) a duplicate key, 1451/1452 (and 1216/1217) a foreign
 *       key; a deadlock (1213) or a duplicate key is a race a new attempt can win.</li>
 *   <li>Durability: warns when {@code innodb_flush_log_at_trx_commit} is not 1, where a crash may
 *       lose acknowledged commits.</li>
 * </ul>
 */
final class MariaDbDialect extends Dialect {
    /** Where the MariaDB migrations are, on the class path. */
    static final String LOCATION = "classpath:io/carechat/messaging/jdbc/mariadb/migration";

    private static final Logger LOG = LoggerFactory.getLogger(MariaDbDialect.class);
    private static final Set<String> UNIQUE_VIOLATION = Set.of("23000");
    private static final Set<String> FOREIGN_KEY_VIOLATION = Set.of("23000");
    private static final Set<String> RETRYABLE_RACE = Set.of("23000", "40001");
    private static final Set<Integer> DUPLICATE_KEY = Set.of(1062, 1586);
    private static final Set<Integer> FOREIGN_KEY = Set.of(1216, 1217, 1451, 1452);
    private static final int DEADLOCK = 1213;

    private final AtomicBoolean warnedLazyCommits = new AtomicBoolean();

    @Override
    public String productName() {
        return "MariaDB";
    }

    /** MariaDB, or MySQL as its own driver or MariaDB's names it. */
    @Override
    boolean handles(@Nullable String productName) {
        return "MariaDB".equals(productName) || "MySQL".equals(productName);
    }

    @Override
    public List<String> migrationLocations() {
        return List.of(LOCATION);
    }

    @Override
    public DataSource sessions(DataSource dataSource) {
        return new ReadCommittedSessions(dataSource);
    }

    @Override
    public String anyOf(String column, int size) {
        return column + " IN (" + String.join(", ", Collections.nCopies(shape(size), "?")) + ")";
    }

    @Override
    public int bindTexts(PreparedStatement statement, int index, Collection<String> values) throws SQLException {
        int p = index;
        String last = null;
        for (String value : values) {
            statement.setString(p++, value);
            last = value;
        }
        for (int i = values.size(); i < shape(values.size()); i++) {
            statement.setString(p++, last);
        }
        return p;
    }

    @Override
    public String rowsMatchingPairs(String table, String alias, String first, String second, int size) {
        return table + " " + alias + " WHERE (" + alias + "." + first + ", " + alias + "." + second + ") IN ("
                + String.join(", ", Collections.nCopies(shape(size), "(?, ?)")) + ")";
    }

    @Override
    public int bindPairs(PreparedStatement statement, int index, List<String> firsts, List<String> seconds)
            throws SQLException {
        if (firsts.size() != seconds.size() || firsts.isEmpty()) {
            throw new IllegalArgumentException("pairs need as many first as second values, at least one");
        }
        int p = index;
        Iterator<String> second = seconds.iterator();
        for (String first : firsts) {
            statement.setString(p++, first);
            statement.setString(p++, second.next());
        }
        for (int i = firsts.size(); i < shape(firsts.size()); i++) {
            statement.setString(p++, firsts.get(firsts.size() - 1));
            statement.setString(p++, seconds.get(seconds.size() - 1));
        }
        return p;
    }

    /** The number of parameters for a set of {@code size} values: the next power of two. */
    static int shape(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("a set needs at least one value");
        }
        return Integer.highestOneBit(size) == size ? size : Integer.highestOneBit(size) << 1;
    }

    @Override
    public ChronoUnit timePrecision() {
        return ChronoUnit.MICROS;
    }

    /** The time in UTC, without a zone, for a {@code DATETIME(6)} column. */
    @Override
    public Object timestamp(Instant instant) {
        return LocalDateTime.ofInstant(truncate(instant), ZoneOffset.UTC);
    }

    @Override
    protected Set<String> uniqueViolationStates() {
        return UNIQUE_VIOLATION;
    }

    @Override
    protected Set<String> foreignKeyViolationStates() {
        return FOREIGN_KEY_VIOLATION;
    }

    @Override
    protected Set<String> retryableRaceStates() {
        return RETRYABLE_RACE;
    }

    @Override
    protected boolean uniqueViolation(SQLException failure) {
        return DUPLICATE_KEY.contains(failure.getErrorCode());
    }

    @Override
    protected boolean foreignKeyViolation(SQLException failure) {
        return FOREIGN_KEY.contains(failure.getErrorCode());
    }

    @Override
    protected boolean retryableRace(SQLException failure) {
        return failure.getErrorCode() == DEADLOCK || DUPLICATE_KEY.contains(failure.getErrorCode());
    }

    /** Warns once when InnoDB does not flush its log at every commit. */
    @Override
    public void warnIfCommitsAreLazy(Connection connection) {
        if (warnedLazyCommits.get()) {
            return;
        }
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT @@innodb_flush_log_at_trx_commit")) {
            if (rs.next() && rs.getInt(1) != 1 && warnedLazyCommits.compareAndSet(false, true)) {
                LOG.warn("{} returns commits before they are durable (innodb_flush_log_at_trx_commit is {},"
                        + " not 1): a crash may lose acknowledged messages", productName(), rs.getInt(1));
            }
        } catch (SQLException e) {
            LOG.debug("cannot read innodb_flush_log_at_trx_commit", e);
        }
    }
}
