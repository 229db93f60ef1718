package io.carechat.messaging.event;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.Presence;
import io.carechat.messaging.model.UserId;

/**
 * A user's availability changed on one node. Only users who may message them are told. A user
 * connected to several nodes is shown with the availability they set last on any of them, and
 * offline only when no node holds a live session of theirs; {@code Messaging.presence} says which.
 *
 * @param userId the user
 * @param presence the new availability on that node; {@link Presence#OFFLINE} when the node holds no
 *     live session of the user any more
 * @param nodeId the node the change happened on ({@code Messaging.nodeId()})
 */
public record PresenceChanged(UserId userId, Presence presence, String nodeId) implements MessagingEvent {

    /** Checks the fields. */
    public PresenceChanged {
        requireNonNull(userId, "userId");
        requireNonNull(presence, "presence");
        requireNonNull(nodeId, "nodeId");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.visitPresenceChanged(this);
    }
}
