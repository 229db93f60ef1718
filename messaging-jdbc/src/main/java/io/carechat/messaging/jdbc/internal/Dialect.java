package io.carechat.messaging.jdbc.internal;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.error.ConfigurationException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * What differs between the databases {@code JdbcStorage} runs on, in one place, so that a new
 * database is a new subclass (and migrations of its own only where its SQL must differ) rather
 * than changes spread through the stores. Not API.
 *
 * <p>A dialect says which database it is for ({@link #productName()}, matched against the
 * connection's metadata by {@link #of(Connection)}), and for that database:
 * <ul>
 *   <li>the SQL fragments that differ: sets of values, bound as one array parameter or as one
 *       parameter per value ({@link #anyOf(String, int)},
 *       {@link #rowsMatchingPairs(String, String, String, String, int)}), row limits
 *       ({@link #limit(String)}) and row locks ({@link #forUpdate()});</li>
 *   <li>where its migrations are ({@link #migrationLocations()}) and how each connection's session
 *       is set up ({@link #sessions(DataSource)});</li>
 *   <li>whether the group-commit writer sends a batch's rows as arrays, one statement per table,
 *       or as JDBC batches ({@link #writesRowsAsArrays()}, {@link #arrayParameter(String)},
 *       {@link #array(Connection, Object[])});</li>
 *   <li>how times are stored: the precision kept ({@link #timePrecision()}) and the value bound
 *       ({@link #timestamp(Instant)});</li>
 *   <li>which SQL states mean a unique or foreign key violation, and which a lost race that running
 *       the transaction again can win (serialization failures, deadlocks, a key stored meanwhile);</li>
 *   <li>what to check of the database's own durability settings when storage is built
 *       ({@link #warnIfCommitsAreLazy(Connection)}).</li>
 * </ul>
 * The rest of CareChat's SQL is portable and stays in the stores: {@code INSERT ...
 * SELECT ... WHERE NOT EXISTS} instead of upserts, time columns read back by
 * {@link Rows#nullableInstant(java.sql.ResultSet, String)}, and data exceptions in the SQL standard's class 22
 * ({@link StorageFailures#isDataError(Throwable)}). The defaults here are what both H2 and
 * PostgreSQL do (SQL:2003 arrays included); a subclass overrides what its database does otherwise.
 *
 * <p>Immutable and thread-safe. Lifecycle: one instance per database product, chosen for a storage
 * when it is built and used for its whole life.
 */
public abstract class Dialect {
    private static final List<Dialect> SUPPORTED = List.of(new H2Dialect(), new PostgresDialect(), new MariaDbDialect());

    /** Only the dialects of this package. */
    Dialect() {}

    /**
     * The dialect of the database a connection is to, by the product name its driver reports.
     *
     * @param connection an open connection
     * @return the dialect
     * @throws SQLException if the driver cannot tell its database
     * @throws ConfigurationException if CareChat does not support the database
     */
    public static Dialect of(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName();
        return forProductName(product).orElseThrow(() -> new ConfigurationException("JdbcStorage", List.of(
                "the database " + product + " is not supported; JdbcStorage runs on "
                        + supportedNames())));
    }

    /** The supported databases' names, as in "H2, PostgreSQL and MariaDB". */
    private static String supportedNames() {
        List<String> names = SUPPORTED.stream().map(Dialect::productName).toList();
        return String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
    }

    /**
     * The dialect for a product name as {@link java.sql.DatabaseMetaData#getDatabaseProductName()}
     * reports it.
     *
     * @param productName the name, such as {@code H2} or {@code PostgreSQL}
     * @return the dialect, or empty if CareChat does not support the database
     */
    static Optional<Dialect> forProductName(@Nullable String productName) {
        return SUPPORTED.stream().filter(d -> d.handles(productName)).findFirst();
    }

    /**
     * Tells whether this dialect is for the database a driver names so. By default, the name is
     * {@link #productName()}.
     *
     * @param productName the name the driver reports, or null
     * @return true if this dialect is the database's
     */
    boolean handles(@Nullable String productName) {
        return productName().equals(productName);
    }

    /**
     * Where this database's Flyway migrations are, on the class path. The default is the shared
     * scripts of H2 and PostgreSQL, {@link SchemaMigrator#LOCATION}.
     *
     * @return the locations
     */
    public List<String> migrationLocations() {
        return List.of(SchemaMigrator.LOCATION);
    }

    /**
     * The data source the stores take their connections from: the application's own, or one that
     * first sets up each connection's session as the stores assume it (READ COMMITTED isolation).
     * The default is the data source itself.
     *
     * @param dataSource the application's data source
     * @return the data source to use
     */
    public DataSource sessions(DataSource dataSource) {
        return dataSource;
    }

    /**
     * The database's product name, as its JDBC driver reports it.
     *
     * @return the name
     */
    public abstract String productName();

    // ---- SQL ----

    /**
     * A condition that a column equals one value of a set of {@code size} values, bound by
     * {@link #bindTexts(PreparedStatement, int, Collection)}. By default the set is one array
     * parameter, so the statement is the same whatever the set's size and is prepared once.
     *
     * @param column the column
     * @param size how many values the set holds, at least one
     * @return the condition
     */
    public String anyOf(String column, int size) {
        return column + " = ANY (?)";
    }

    /**
     * Binds the values of a set for {@link #anyOf(String, int)}.
     *
     * @param statement the statement
     * @param index the index of the set's first parameter
     * @param values the values, at least one
     * @return the index of the parameter after the set's
     * @throws SQLException if binding fails
     */
    public int bindTexts(PreparedStatement statement, int index, Collection<String> values) throws SQLException {
        statement.setArray(index, textArray(statement.getConnection(), values));
        return index + 1;
    }

    /**
     * The rows of a table whose two columns equal one of {@code size} pairs of values, bound by
     * {@link #bindPairs(PreparedStatement, int, List, List)}: a {@code FROM} clause (with its
     * condition) whose rows the caller selects through {@code alias}. By default a table of pairs
     * made of two array parameters of equal length ({@code UNNEST}), joined to the table.
     *
     * @param table the table
     * @param alias the table's alias
     * @param first the first column
     * @param second the second column
     * @param size how many pairs, at least one
     * @return the clause, without the word {@code FROM}
     */
    public String rowsMatchingPairs(String table, String alias, String first, String second, int size) {
        return "UNNEST(?, ?) AS k (" + first + ", " + second + ") JOIN " + table + " " + alias
                + " ON " + alias + "." + first + " = k." + first + " AND " + alias + "." + second + " = k." + second;
    }

    /**
     * Binds the pairs for {@link #rowsMatchingPairs(String, String, String, String, int)}.
     *
     * @param statement the statement
     * @param index the index of the first parameter
     * @param firsts the pairs' first values
     * @param seconds the pairs' second values, as many
     * @return the index of the parameter after the pairs'
     * @throws SQLException if binding fails
     */
    public int bindPairs(PreparedStatement statement, int index, List<String> firsts, List<String> seconds)
            throws SQLException {
        statement.setArray(index, textArray(statement.getConnection(), firsts));
        statement.setArray(index + 1, textArray(statement.getConnection(), seconds));
        return index + 2;
    }

    /**
     * A set of text values as one array parameter, for {@link #anyOf(String, int)} and
     * {@link #rowsMatchingPairs(String, String, String, String, int)}.
     *
     * @param connection the statement's connection
     * @param values the values
     * @return the array
     * @throws SQLException if the driver cannot make it
     */
    public Array textArray(Connection connection, Collection<String> values) throws SQLException {
        return connection.createArrayOf("VARCHAR", values.toArray(String[]::new));
    }

    /**
     * Whether the group-commit writer sends a batch's rows in one statement per table, each column
     * bound as one array ({@link #arrayParameter(String)}) and read back as rows by {@code UNNEST}
     * ({@code INSERT ... SELECT * FROM UNNEST}, {@code UPDATE ... FROM UNNEST ... RETURNING}),
     * instead of running a statement once per row in a JDBC batch. Worth it where every execution
     * crosses the network and passes through the executor on its own (PostgreSQL); an embedded
     * database runs a JDBC batch in process and keeps the default, false. A dialect that answers
     * true also supports {@code UPDATE ... FROM}, {@code RETURNING} and data-modifying {@code WITH}
     * clauses.
     *
     * @return true to write a batch's rows as arrays
     */
    public boolean writesRowsAsArrays() {
        return false;
    }

    /**
     * Whether the database has PostgreSQL's {@code pg_notify}, delivered to listeners when the
     * transaction that called it commits: the group-commit writer can then announce a batch's new
     * messages inside the batch's transaction ({@link CommitAnnouncer}). Default false.
     *
     * @return true where {@code pg_notify} is transactional
     */
    public boolean notifiesOnCommit() {
        return false;
    }

    /**
     * One parameter bound as an array of {@code elementType} ({@link #array(Connection, Object[])}),
     * for {@code UNNEST}. Times are bound as text in ISO-8601 ({@link #isoTime(Instant)}) and cast
     * here.
     *
     * @param elementType the SQL type of the elements, such as {@code VARCHAR} or {@code BIGINT}
     * @return the parameter, one {@code ?}
     */
    public String arrayParameter(String elementType) {
        return "CAST(? AS " + elementType + " ARRAY)";
    }

    /**
     * An array parameter for {@link #arrayParameter(String)}: text, numbers or times as text.
     *
     * @param connection the statement's connection
     * @param values the values: all {@link String} (nulls allowed), all {@link Long} or all {@link Integer}
     * @return the array
     * @throws SQLException if the driver cannot make it
     */
    public Array array(Connection connection, Object[] values) throws SQLException {
        String type = values instanceof Long[] ? "BIGINT" : values instanceof Integer[] ? "INTEGER" : "VARCHAR";
        return connection.createArrayOf(type, values);
    }

    /**
     * A time as text for an array of times ({@link #arrayParameter(String)} of
     * {@code TIMESTAMP WITH TIME ZONE}).
     *
     * @param instant the time
     * @return ISO-8601 in UTC, truncated to {@link #timePrecision()}
     */
    public final String isoTime(Instant instant) {
        return truncate(requireNonNull(instant, "instant")).toString();
    }

    /**
     * What ends a {@code SELECT ... ORDER BY ...} to return at most some rows: {@code LIMIT} on H2,
     * PostgreSQL and MariaDB (a database without it, such as SQL Server or Oracle, would say
     * {@code OFFSET 0 ROWS FETCH NEXT ... ROWS ONLY}).
     *
     * @param count the number of rows, a parameter such as {@code :limit}
     * @return the clause, with a leading space
     */
    public String limit(String count) {
        return " LIMIT " + count;
    }

    /**
     * What follows a {@code SELECT} to lock the rows it reads until the transaction ends.
     *
     * @return the clause, with a leading space
     */
    public String forUpdate() {
        return " FOR UPDATE";
    }

    // ---- times ----

    /**
     * The finest part of a second the database keeps in a {@code TIMESTAMP WITH TIME ZONE}
     * column. Every time is truncated to it before it is stored, so a value reads back exactly as
     * CareChat returned it when it was written.
     *
     * @return the precision
     */
    public abstract ChronoUnit timePrecision();

    /**
     * A time as the database will read it back.
     *
     * @param instant the time
     * @return the time truncated to {@link #timePrecision()}
     */
    public final Instant truncate(Instant instant) {
        return instant.truncatedTo(timePrecision());
    }

    /**
     * The value to bind for a time column: by default an {@link OffsetDateTime} for a
     * {@code TIMESTAMP WITH TIME ZONE} column.
     *
     * @param instant the time
     * @return the time in UTC, truncated to {@link #timePrecision()}
     */
    public Object timestamp(Instant instant) {
        return OffsetDateTime.ofInstant(truncate(requireNonNull(instant, "instant")), ZoneOffset.UTC);
    }

    /**
     * The value to bind for a time column that may be null.
     *
     * @param instant the time, or null
     * @return the value, or null
     */
    public final @Nullable Object nullableTimestamp(@Nullable Instant instant) {
        return instant == null ? null : timestamp(instant);
    }

    // ---- failures ----

    /**
     * The SQL states of a unique constraint violation.
     *
     * @return the states
     */
    protected abstract Set<String> uniqueViolationStates();

    /**
     * The SQL states of a foreign key violation: a row refers to one that does not exist.
     *
     * @return the states
     */
    protected abstract Set<String> foreignKeyViolationStates();

    /**
     * The SQL states of a transaction that lost a race running it again can win: a serialization
     * failure, a deadlock, a unique key stored by another transaction meanwhile.
     *
     * @return the states
     */
    protected abstract Set<String> retryableRaceStates();

    /**
     * Tells whether a failure is a unique constraint violation.
     *
     * @param failure the failure
     * @return true if some cause is one
     */
    public final boolean isUniqueViolation(Throwable failure) {
        return anyCause(failure, this::uniqueViolation);
    }

    /**
     * Tells whether a failure is a foreign key violation: a row refers to one that does not exist.
     *
     * @param failure the failure
     * @return true if some cause is one
     */
    public final boolean isForeignKeyViolation(Throwable failure) {
        return anyCause(failure, this::foreignKeyViolation);
    }

    /**
     * Tells whether a transaction lost a race that running it again can win.
     *
     * @param failure the failure
     * @return true if running the transaction again may succeed
     */
    public final boolean isRetryableRace(Throwable failure) {
        return anyCause(failure, this::retryableRace);
    }

    /**
     * Tells whether one SQL failure is a unique constraint violation; by default by its SQL state
     * ({@link #uniqueViolationStates()}).
     *
     * @param failure the failure
     * @return true if it is one
     */
    protected boolean uniqueViolation(SQLException failure) {
        return uniqueViolationStates().contains(failure.getSQLState());
    }

    /**
     * Tells whether one SQL failure is a foreign key violation; by default by its SQL state
     * ({@link #foreignKeyViolationStates()}).
     *
     * @param failure the failure
     * @return true if it is one
     */
    protected boolean foreignKeyViolation(SQLException failure) {
        return foreignKeyViolationStates().contains(failure.getSQLState());
    }

    /**
     * Tells whether one SQL failure is a lost race; by default by its SQL state
     * ({@link #retryableRaceStates()}).
     *
     * @param failure the failure
     * @return true if it is one
     */
    protected boolean retryableRace(SQLException failure) {
        return retryableRaceStates().contains(failure.getSQLState());
    }

    private static boolean anyCause(Throwable failure, Predicate<SQLException> test) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && test.test(sql)) {
                return true;
            }
        }
        return false;
    }

    // ---- durability ----

    /**
     * Warns, once per database, when the database acknowledges commits before they are durable, so
     * that a crash would lose acknowledged messages. Best effort; the default checks nothing.
     *
     * @param connection an open connection to the database
     */
    public void warnIfCommitsAreLazy(Connection connection) {}

    @Override
    public String toString() {
        return productName();
    }
}
