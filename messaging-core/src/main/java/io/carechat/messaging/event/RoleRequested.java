package io.carechat.messaging.event;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.RoleRequest;

/**
 * A user asked for a role. Admins' sessions get a {@code notice}.
 *
 * @param request the pending request
 */
public record RoleRequested(RoleRequest request) implements MessagingEvent {

    /** Checks the field. */
    public RoleRequested {
        requireNonNull(request, "request");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.visitRoleRequested(this);
    }
}
