package io.carechat.messaging.jdbc.internal;

import io.carechat.messaging.error.BadRequestException;
import io.carechat.messaging.error.MessagingException;
import io.carechat.messaging.error.UnavailableException;
import java.sql.SQLException;
import java.util.function.Supplier;
import org.jdbi.v3.core.JdbiException;

/**
 * Turns database failures into CareChat's exceptions. Not API. Stateless and thread-safe.
 *
 * <p>A value the database cannot store (an SQL data exception, such as a text longer than its
 * column) becomes {@link BadRequestException}. Any other failure to talk to the database (no
 * connection, a connection lost, a timeout, a transaction rolled back by the server) becomes
 * {@link UnavailableException}: the caller may retry the same request. The message never carries
 * SQL or values; the cause is kept for diagnosis.
 */
public final class StorageFailures {
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String FOREIGN_KEY_VIOLATION = "23503";
    /** H2's state for a row whose referenced parent is missing. */
    private static final String PARENT_MISSING = "23506";
    private static final String SERIALIZATION_FAILURE = "40001";
    private static final String DEADLOCK_DETECTED = "40P01";

    private StorageFailures() {}

    /**
     * Runs a storage call, mapping database failures to {@link UnavailableException}. CareChat's
     * own exceptions pass through unchanged.
     *
     * @param call the call
     * @param <T> its result type
     * @return its result
     */
    public static <T> T call(Supplier<T> call) {
        try {
            return call.get();
        } catch (MessagingException e) {
            throw e;
        } catch (JdbiException e) {
            if (isDataError(e)) {
                throw malformed(e);
            }
            throw unavailable(e);
        }
    }

    /**
     * Runs a storage call without a result, mapping failures like {@link #call(Supplier)}.
     *
     * @param call the call
     */
    public static void run(Runnable call) {
        call(() -> {
            call.run();
            return null;
        });
    }

    /**
     * The exception for a database that cannot serve a request.
     *
     * @param cause the failure
     * @return the exception to throw
     */
    public static UnavailableException unavailable(Throwable cause) {
        return new UnavailableException("storage is unavailable, retry later", cause);
    }

    /**
     * The exception for a value the database cannot store, such as one longer than its column.
     *
     * @param cause the failure
     * @return the exception to throw
     */
    public static BadRequestException malformed(Throwable cause) {
        return new BadRequestException("a value is too long or malformed for storage", cause);
    }

    /**
     * Tells whether a failure is an SQL data exception (class 22): a value the database cannot
     * store, which retrying will not change.
     *
     * @param failure the failure
     * @return true if some cause has an SQL state of class 22
     */
    public static boolean isDataError(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("22")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Tells whether a transaction lost a race that running it again can win: a unique violation,
     * a serialization failure or a deadlock.
     *
     * @param failure the failure
     * @return true if running the transaction again may succeed
     */
    public static boolean isRetryableRace(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (UNIQUE_VIOLATION.equals(state) || SERIALIZATION_FAILURE.equals(state)
                        || DEADLOCK_DETECTED.equals(state)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Tells whether a failure is a foreign key violation: a row refers to one that does not exist.
     *
     * @param failure the failure
     * @return true if some cause is an SQL foreign key violation
     */
    public static boolean isForeignKeyViolation(Throwable failure) {
        return hasState(failure, FOREIGN_KEY_VIOLATION) || hasState(failure, PARENT_MISSING);
    }

    /**
     * Tells whether a failure is a unique constraint violation.
     *
     * @param failure the failure
     * @return true if some cause is an SQL unique violation
     */
    public static boolean isUniqueViolation(Throwable failure) {
        return hasState(failure, UNIQUE_VIOLATION);
    }

    private static boolean hasState(Throwable failure, String state) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && state.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
