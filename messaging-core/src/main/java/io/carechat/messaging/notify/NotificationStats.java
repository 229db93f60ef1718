package io.carechat.messaging.notify;

/**
 * What this facade's offline notifications did since it was built: for monitoring. Immutable and
 * thread-safe.
 *
 * @param delivered notices the {@link io.carechat.messaging.spi.Notifier} took without throwing
 * @param failed notices it threw on, or that were not handed to it because too many calls were
 *     in flight or its executor refused them
 * @param storeFailures checks or writes of the schedule that failed because storage did; they are
 *     tried again on the next check
 */
public record NotificationStats(long delivered, long failed, long storeFailures) {}
