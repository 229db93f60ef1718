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
 * SQL or values; the cause is kept for diagnosis. The SQL states that differ per database (unique
 * and foreign key violations, races worth a rerun) are the {@link Dialect}'s to tell.
 */
public final class StorageFailures {
    /** The SQL standard's class of data exceptions, the same on every database. */
    private static final String DATA_EXCEPTION_CLASS = "22";

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
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith(DATA_EXCEPTION_CLASS)) {
                return true;
            }
        }
        return false;
    }
}
