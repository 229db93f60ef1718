package io.carechat.messaging.event;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.Presence;
import io.carechat.messaging.model.UserId;

/**
 * A user's availability changed. Only users who may message them are told.
 *
 * @param userId the user
 * @param presence the new availability
 */
public record PresenceChanged(UserId userId, Presence presence) implements MessagingEvent {

    /** Checks the fields. */
    public PresenceChanged {
        requireNonNull(userId, "userId");
        requireNonNull(presence, "presence");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.visitPresenceChanged(this);
    }
}
