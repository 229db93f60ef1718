package io.carechat.messaging.jdbc.internal;

import java.sql.Connection;
import java.time.temporal.ChronoUnit;
import java.util.Set;

/**
 * H2 2.x, embedded, in memory or in a file. Not API. Immutable and thread-safe.
 *
 * <p>It takes the defaults for SQL (arrays, {@code UNNEST}, {@code FOR UPDATE}). Its
 * {@code TIMESTAMP WITH TIME ZONE} keeps microseconds (precision 6, the default). It reports a
 * unique violation as 23505, a row whose parent is missing as 23506 (and a parent whose children
 * remain as 23503), and a deadlock or a lock conflict between transactions as 40001. A file
 * database may acknowledge commits before writing them: {@link H2Durability} warns about it.
 */
final class H2Dialect extends Dialect {
    private static final Set<String> UNIQUE_VIOLATION = Set.of("23505");
    private static final Set<String> FOREIGN_KEY_VIOLATION = Set.of("23503", "23506");
    private static final Set<String> RETRYABLE_RACE = Set.of("23505", "40001");

    @Override
    public String productName() {
        return "H2";
    }

    @Override
    public ChronoUnit timePrecision() {
        return ChronoUnit.MICROS;
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

    /** Warns about an H2 file database whose {@code WRITE_DELAY} is not 0. */
    @Override
    public void warnIfCommitsAreLazy(Connection connection) {
        H2Durability.warnIfCommitsAreLazy(connection);
    }
}
