package io.carechat.messaging.spi;

import io.carechat.messaging.model.UserId;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Which audit events to read back, for an administrator's view or an export. Every filter that is
 * set must match. Results come oldest first, by sequence. Immutable and thread-safe.
 *
 * @param from only events at or after this time, or null for no lower bound
 * @param to only events before this time, or null for no upper bound
 * @param actor only events by this user, or null for anyone
 * @param action only events with this action code, or null for any
 * @param afterSequence only events with a larger sequence (0 to start at the beginning), for paging
 * @param limit the most events to return, 1 to {@value #MAX_LIMIT}
 */
public record AuditQuery(
        @Nullable Instant from,
        @Nullable Instant to,
        @Nullable UserId actor,
        @Nullable String action,
        long afterSequence,
        int limit) {

    /** The largest page one query may ask for. */
    public static final int MAX_LIMIT = 10_000;

    /** Checks the bounds. */
    public AuditQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT);
        }
        if (afterSequence < 0) {
            throw new IllegalArgumentException("afterSequence must not be negative");
        }
        if (from != null && to != null && to.isBefore(from)) {
            throw new IllegalArgumentException("to must not be before from");
        }
    }

    /**
     * Every event in a time range, up to a limit.
     *
     * @param from the first instant included, or null
     * @param to the first instant excluded, or null
     * @param limit the most events to return
     * @return the query
     */
    public static AuditQuery between(@Nullable Instant from, @Nullable Instant to, int limit) {
        return new AuditQuery(from, to, null, null, 0, limit);
    }

    /**
     * Tells whether an event passes every filter but the sequence and the limit.
     *
     * @param event the event
     * @return true if it matches
     */
    public boolean matches(AuditEvent event) {
        return (from == null || !event.time().isBefore(from))
                && (to == null || event.time().isBefore(to))
                && (actor == null || actor.equals(event.actorId()))
                && (action == null || action.equals(event.action()));
    }
}
