package io.carechat.messaging.metrics;

import io.carechat.messaging.jobs.JobStatus;
import io.carechat.messaging.notify.NotificationStats;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * What CareChat reports as it works, for a metrics backend: the facade, the hub and the storage
 * call these hooks. {@link MicrometerMetrics} records them as meters; {@link #NONE} drops them.
 * Every argument is a count, a duration or a value from a small fixed set (an error code's wire
 * name, a token rejection reason, a close reason, a limit's name), never an id, a name or content.
 *
 * <p>Implementations must be thread-safe and cheap: the hooks run on request, writer and event
 * threads. They live as long as the component they were given to.
 */
public interface MessagingMetrics {

    /** Reports nothing; the default of every builder. */
    MessagingMetrics NONE = new MessagingMetrics() {};

    /**
     * A send finished.
     *
     * @param outcome {@code ok}, or the wire name of the error code it failed with
     * @param nanos from the facade taking the send to its answer (for {@code ok}: the commit)
     */
    default void sendFinished(String outcome, long nanos) {}

    /**
     * A committed message was pushed to the live sockets on this node.
     *
     * @param sockets how many sockets it was pushed to
     */
    default void fannedOut(int sockets) {}

    /**
     * An event from the bus reached the hub.
     *
     * @param lagNanos from the message's commit to its delivery here; zero or more
     */
    default void busDelivered(long lagNanos) {}

    /** The bus lost events, so every live session catches up from the store. */
    default void busCatchUp() {}

    /**
     * A group-commit batch was taken for writing.
     *
     * @param items how many sends and audit events it holds
     * @param waitNanos how long its oldest item waited in the queue
     */
    default void groupCommit(int items, long waitNanos) {}

    /**
     * A storage operation failed.
     *
     * @param kind {@code commit} (a batch's transaction failed) or {@code malformed} (a value the
     *     database could not store)
     */
    default void storageError(String kind) {}

    /**
     * A request was refused by a rate limit.
     *
     * @param kind the limit: {@code send}, {@code typing}, {@code presence}, {@code history} or
     *     {@code in_flight} (a socket with too many requests waiting)
     */
    default void rateLimited(String kind) {}

    /**
     * A token was refused.
     *
     * @param reason the audit reason code, from a fixed set
     */
    default void tokenRejected(String reason) {}

    /**
     * The hub closed a socket.
     *
     * @param reason the close reason, one of {@code io.carechat.messaging.hub.CloseCodes}' reasons
     */
    default void socketClosed(String reason) {}

    /**
     * An urgent message's escalation ended.
     *
     * @param outcome {@code escalated} (the doctors on call were told), {@code read_in_time} or
     *     {@code nobody_on_call}
     */
    default void escalationEnded(String outcome) {}

    /**
     * Watches the hub's open sockets and authenticated sessions.
     *
     * @param sockets the open sockets, authenticated or not
     * @param sessions the authenticated sessions
     */
    default void watchHub(IntSupplier sockets, IntSupplier sessions) {}

    /**
     * Watches the storage's queues.
     *
     * @param commitQueue sends and audit events waiting for a group-commit batch
     * @param auditQueue the audit events among them
     */
    default void watchStorageQueues(IntSupplier commitQueue, IntSupplier auditQueue) {}

    /**
     * Watches the facade's offline notification counts.
     *
     * @param stats the counts so far
     */
    default void watchNotifications(Supplier<NotificationStats> stats) {}

    /**
     * Watches the scheduled jobs ({@link io.carechat.messaging.jobs.JobScheduler#status()}): per job,
     * whether a node runs it now, the rows its current or last run processed, whether its last run
     * succeeded and when it ended. The status is read from the lease store, at most once a second.
     *
     * @param jobs the jobs' status; the jobs it lists when watched are the ones measured
     */
    default void watchJobs(Supplier<List<JobStatus>> jobs) {}
}
