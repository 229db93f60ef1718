package io.carechat.messaging.event;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.UserId;

/**
 * A user's tokens were revoked: transports close the user's live sessions, and every node forgets
 * the user's valid-after instant it remembered, so its next check reads the stored one.
 *
 * @param userId the user
 * @param reason why: {@link Reason#LOGOUT}, {@link Reason#DISABLED} or {@link Reason#ROLES_CHANGED}
 */
public record SessionsRevoked(UserId userId, Reason reason) implements MessagingEvent {

    /** Why a user's sessions end. */
    public enum Reason {
        /** The user logged out everywhere. */
        LOGOUT,
        /** An admin or a directory sync disabled the account. */
        DISABLED,
        /** An admin or a directory sync changed the user's roles; they must log in again to get a token with them. */
        ROLES_CHANGED
    }

    /** Checks the fields. */
    public SessionsRevoked {
        requireNonNull(userId, "userId");
        requireNonNull(reason, "reason");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.visitSessionsRevoked(this);
    }
}
