package io.carechat.messaging.spi;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.Presence;
import io.carechat.messaging.model.UserId;
import java.time.Instant;

/**
 * What one node says of one user connected to it: their availability and when they set it. A user
 * connected to several nodes has one per node; the latest {@code changedAt} is the one shown.
 *
 * @param nodeId the node holding the user's live sessions
 * @param userId the user
 * @param presence available, busy or away; never {@link Presence#OFFLINE}, which is the absence of
 *     any such entry
 * @param changedAt when the user's availability was last set on that node
 */
public record NodePresence(String nodeId, UserId userId, Presence presence, Instant changedAt) {

    /** Checks the fields. */
    public NodePresence {
        requireNonNull(nodeId, "nodeId");
        requireNonNull(userId, "userId");
        requireNonNull(presence, "presence");
        requireNonNull(changedAt, "changedAt");
        if (presence == Presence.OFFLINE) {
            throw new IllegalArgumentException("a node says nothing of users it has no session of");
        }
    }
}
