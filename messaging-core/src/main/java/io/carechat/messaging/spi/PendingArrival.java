package io.carechat.messaging.spi;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.UserId;
import java.time.Instant;

/**
 * Messages that reached an offline user, as one node hands them to a {@link NotificationStore}:
 * when the user is due a notice at the earliest, and how many of the messages were urgent.
 *
 * @param userId the recipient
 * @param dueAt when the first of them arrived plus the configured delay
 * @param urgentMessages how many of them were urgent, 0 or more
 */
public record PendingArrival(UserId userId, Instant dueAt, long urgentMessages) {

    /** Checks the fields. */
    public PendingArrival {
        requireNonNull(userId, "userId");
        requireNonNull(dueAt, "dueAt");
        if (urgentMessages < 0) {
            throw new IllegalArgumentException("urgentMessages must not be negative");
        }
    }
}
