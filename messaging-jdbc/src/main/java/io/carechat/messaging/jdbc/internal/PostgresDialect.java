package io.carechat.messaging.jdbc.internal;

import java.time.temporal.ChronoUnit;
import java.util.Set;

/**
 * PostgreSQL (tested on 15). Not API. Immutable and thread-safe.
 *
 * <p>It takes the defaults for SQL (arrays, {@code UNNEST}, {@code FOR UPDATE}) and writes a
 * group commit's rows as arrays ({@link #writesRowsAsArrays()}). Its
 * {@code timestamptz} keeps microseconds. It reports a unique violation as 23505, a foreign key
 * violation as 23503, a serialization failure as 40001 and a deadlock as 40P01. It is durable as
 * installed ({@code fsync} and {@code synchronous_commit} on), which the server's settings decide,
 * so nothing is checked at build.
 */
final class PostgresDialect extends Dialect {
    private static final Set<String> UNIQUE_VIOLATION = Set.of("23505");
    private static final Set<String> FOREIGN_KEY_VIOLATION = Set.of("23503");
    private static final Set<String> RETRYABLE_RACE = Set.of("23505", "40001", "40P01");

    @Override
    public String productName() {
        return "PostgreSQL";
    }

    /** {@code pg_notify} is delivered when its transaction commits, and never when it rolls back. */
    @Override
    public boolean notifiesOnCommit() {
        return true;
    }

    /** A batch's rows as arrays: one round trip and one execution per table instead of one per row. */
    @Override
    public boolean writesRowsAsArrays() {
        return true;
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
}
