package io.carechat.messaging.audit;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.error.UnavailableException;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.AuditSink;
import io.carechat.messaging.spi.AuditSinks;
import java.time.Clock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way CareChat's services and jobs write the audit trail: it stamps each event with the
 * injected clock, names who acted (a caller, or a job by its client id), and keeps it in the
 * {@link AuditSink} under one of three rules.
 * <ul>
 *   <li>{@link #record}: fail closed. Reads and changes are recorded before the data is returned
 *       or the change is made; when the sink fails the caller gets {@link UnavailableException}
 *       and the audited action must not happen.</li>
 *   <li>{@link #recordOrUndo}: fail closed after the fact. For a change already stored, which is
 *       undone when its event cannot be kept, before {@link UnavailableException} is thrown.</li>
 *   <li>{@link #recordRefusal}: a refusal or a failure (a denied access, a failed login, an
 *       integrity failure). A sink failure is logged, by action and exception type only, and the
 *       refusal stands as it was. With a {@link RefusalAggregator}, identical refusals within its
 *       window become one event with a count.</li>
 * </ul>
 * Events hold metadata only (see {@link AuditEvent}); nothing here logs their content.
 *
 * <p>Thread-safe when its sink is, as every sink must be. Lifecycle: holds no resources; create one
 * per sink and share it for as long as the sink lives.
 */
public final class AuditRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(AuditRecorder.class);

    private final AuditSink sink;
    private final Clock clock;
    private final @Nullable RefusalAggregator refusals;

    /**
     * Creates a recorder that keeps each refusal as its own event.
     *
     * @param sink where events go
     * @param clock what events are stamped with
     */
    public AuditRecorder(AuditSink sink, Clock clock) {
        this(sink, clock, null);
    }

    /**
     * Creates a recorder.
     *
     * @param sink where events go
     * @param clock what events are stamped with
     * @param refusals aggregates identical refusals into one event per window (it must write to
     *     the same sink), or null to keep each on its own
     */
    public AuditRecorder(AuditSink sink, Clock clock, @Nullable RefusalAggregator refusals) {
        this.sink = requireNonNull(sink, "sink");
        this.clock = requireNonNull(clock, "clock");
        this.refusals = refusals;
    }

    /**
     * The same recorder, aggregating refusals with the given aggregator.
     *
     * @param value the aggregator, writing to this recorder's sink, or null to keep each refusal on its own
     * @return the recorder
     */
    public AuditRecorder withRefusals(@Nullable RefusalAggregator value) {
        return new AuditRecorder(sink, clock, value);
    }

    /**
     * The sink events go to, for a store that keeps an event in the same transaction as the
     * change it records.
     *
     * @return the sink
     */
    public AuditSink sink() {
        return sink;
    }

    /**
     * The clock events are stamped with.
     *
     * @return the clock
     */
    public Clock clock() {
        return clock;
    }

    /**
     * Starts an event stamped now, with no actor yet.
     *
     * @param action what was done, such as {@code auth.login}
     * @param outcome how it ended
     * @return the builder
     */
    public AuditEvent.Builder event(String action, AuditEvent.Outcome outcome) {
        return AuditEvent.builder(clock.instant(), action, outcome);
    }

    /**
     * Starts an event stamped now, acted by a caller: their id and roles, address and request id.
     *
     * @param caller who acted
     * @param action what was done
     * @param outcome how it ended
     * @return the builder
     */
    public AuditEvent.Builder event(Caller caller, String action, AuditEvent.Outcome outcome) {
        return event(action, outcome)
                .actor(caller.userId(), caller.roles())
                .client(caller.clientAddress(), null, caller.requestId());
    }

    /**
     * Starts an event stamped now, acted by a job with no user behind it, named as the client.
     *
     * @param job the job's client id, such as {@code retention_job}
     * @param action what was done
     * @param outcome how it ended
     * @return the builder
     */
    public AuditEvent.Builder jobEvent(String job, String action, AuditEvent.Outcome outcome) {
        return event(action, outcome).client(null, job, null);
    }

    /**
     * Keeps an event, failing closed.
     *
     * @param event the event
     * @throws UnavailableException if the sink did not keep it; the audited action must not happen
     */
    public void record(AuditEvent event) {
        AuditSinks.recordOrFail(sink, event);
    }

    /**
     * Keeps the event of a change already stored; when that fails, undoes the change, then fails.
     *
     * @param event the event
     * @param undo takes the change back; a failure of its own is added to the thrown exception
     * @throws UnavailableException if the sink did not keep the event
     */
    public void recordOrUndo(AuditEvent event, Runnable undo) {
        try {
            record(event);
        } catch (UnavailableException e) {
            try {
                undo.run();
            } catch (RuntimeException undoFailure) {
                e.addSuppressed(undoFailure);
            }
            throw e;
        }
    }

    /**
     * Keeps the event of a refusal or failure, aggregated with identical ones when this recorder
     * has a {@link RefusalAggregator}; if the sink fails, that is logged and the refusal stands.
     *
     * @param event the event
     */
    public void recordRefusal(AuditEvent event) {
        if (refusals != null) {
            refusals.record(event);
            return;
        }
        try {
            sink.record(event);
        } catch (RuntimeException e) {
            LOG.warn("The audit sink failed to record {} ({}); the refusal stands", event.action(),
                    e.getClass().getName());
        }
    }
}
