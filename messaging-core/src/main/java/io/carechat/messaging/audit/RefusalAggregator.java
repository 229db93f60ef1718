package io.carechat.messaging.audit;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.AuditSink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a flood of identical refusals (a client replaying a bad token, a throttled login tried
 * over and over) from writing one audit event each. Refusals are identical when they agree in
 * action, outcome, reason, client address, client id, actor, object and patient. The first of a
 * kind is kept at once, as usual, and opens a window; the identical ones that follow within it are
 * only counted, and when the window ends they are kept as one event whose
 * {@link AuditEvent#count() count} says how many they were (stamped with the first one's time,
 * without a request id). So the counts of a kind's events always add up to the refusals made, and
 * the trail grows by at most two events per kind and window however hard it is hammered.
 *
 * <p>Windows end when {@link #flushDue()} finds them over (the facade calls it on a timer, and on
 * every refusal) and on {@link #close()}, which keeps every pending count: nothing is lost on a
 * graceful shutdown. Memory is bounded: at most {@value #MAX_PENDING} kinds are held; a refusal
 * of a new kind beyond that is kept at once on its own, as without aggregation.
 *
 * <p>A sink failure is logged by action and exception type only, and the refusal stands, as in
 * {@link AuditRecorder#recordRefusal}. Thread-safe. Lifecycle: made by the facade, which flushes
 * it on a timer and closes it when it closes; a closed aggregator keeps every refusal at once.
 */
public final class RefusalAggregator implements AutoCloseable {
    /** The most kinds of refusal held in open windows at once. */
    static final int MAX_PENDING = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(RefusalAggregator.class);

    private final AuditSink sink;
    private final Clock clock;
    private final Duration window;
    private final Map<Kind, Pending> pending = new LinkedHashMap<>();
    private boolean closed;

    /**
     * Creates an aggregator.
     *
     * @param sink where events go
     * @param clock what decides when windows end
     * @param window how long identical refusals are counted into one event, more than zero
     */
    public RefusalAggregator(AuditSink sink, Clock clock, Duration window) {
        this.sink = requireNonNull(sink, "sink");
        this.clock = requireNonNull(clock, "clock");
        this.window = requireNonNull(window, "window");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be more than zero");
        }
    }

    /**
     * The window's length.
     *
     * @return the window
     */
    public Duration window() {
        return window;
    }

    /**
     * Keeps a refusal: at once when it is the first of its kind in a window, else by counting it
     * into the window's aggregate.
     *
     * @param refusal the refusal's event, with a count of 1
     */
    public void record(AuditEvent refusal) {
        requireNonNull(refusal, "refusal");
        flushDue();
        Kind kind = Kind.of(refusal);
        boolean keepNow;
        synchronized (pending) {
            Pending open = pending.get(kind);
            if (open != null) {
                open.add(refusal);
                keepNow = false;
            } else {
                if (!closed && pending.size() < MAX_PENDING) {
                    pending.put(kind, new Pending(clock.instant().plus(window)));
                }
                keepNow = true;
            }
        }
        if (keepNow) {
            keep(refusal);
        }
    }

    /** Keeps the aggregates of every window that has ended. */
    public void flushDue() {
        Instant now = clock.instant();
        List<AuditEvent> due = new ArrayList<>();
        synchronized (pending) {
            Iterator<Pending> windows = pending.values().iterator();
            while (windows.hasNext()) {
                Pending open = windows.next();
                if (open.endsAt.isAfter(now)) {
                    continue;
                }
                windows.remove();
                open.aggregate().ifPresent(due::add);
            }
        }
        due.forEach(this::keep);
    }

    /** Keeps the aggregate of every open window; from then on every refusal is kept at once. */
    @Override
    public void close() {
        List<AuditEvent> all = new ArrayList<>();
        synchronized (pending) {
            closed = true;
            pending.values().forEach(open -> open.aggregate().ifPresent(all::add));
            pending.clear();
        }
        all.forEach(this::keep);
    }

    private void keep(AuditEvent event) {
        try {
            sink.record(event);
        } catch (RuntimeException e) {
            LOG.warn("The audit sink failed to record {} ({}); the refusal stands", event.action(),
                    e.getClass().getName());
        }
    }

    /** What makes two refusals identical. */
    private record Kind(String action, AuditEvent.Outcome outcome, @Nullable String reason,
            @Nullable String clientAddress, @Nullable String clientId, @Nullable UserId actorId,
            @Nullable String objectType, @Nullable String objectId, @Nullable UserId patientId) {
        static Kind of(AuditEvent e) {
            return new Kind(e.action(), e.outcome(), e.reason(), e.clientAddress(), e.clientId(), e.actorId(),
                    e.objectType(), e.objectId(), e.patientId());
        }
    }

    /** An open window: when it ends, and the refusals counted in it after its first. */
    private static final class Pending {
        private final Instant endsAt;
        private @Nullable AuditEvent first;
        private int count;

        Pending(Instant endsAt) {
            this.endsAt = endsAt;
        }

        void add(AuditEvent refusal) {
            if (first == null) {
                first = refusal;
            }
            count = count == Integer.MAX_VALUE ? count : count + 1;
        }

        Optional<AuditEvent> aggregate() {
            return first == null ? Optional.empty() : Optional.of(first.aggregated(count));
        }
    }
}
