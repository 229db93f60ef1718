package io.carechat.messaging.spi;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.UserId;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A user's pending notice as one node claimed it from a {@link NotificationStore}: the node alone
 * decides it (send, put off or drop) until the claim ends, and hands it back with
 * {@link NotificationStore#complete} or {@link NotificationStore#postpone}.
 *
 * @param userId the recipient
 * @param urgentMessages how many urgent messages arrived for them since their last notice
 * @param arrivals how many times arrivals were added to the user's pending notice so far; when it
 *     has grown by the time the claim is completed, more arrived meanwhile and stays pending
 * @param notifiedAt when the user was last sent a notice, or null if never
 * @param claimToken names the claim; the store accepts completion only with it
 */
public record DueNotification(UserId userId, long urgentMessages, long arrivals, @Nullable Instant notifiedAt,
        String claimToken) {

    /** Checks the fields. */
    public DueNotification {
        requireNonNull(userId, "userId");
        requireNonNull(claimToken, "claimToken");
        if (urgentMessages < 0 || arrivals < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
    }
}
