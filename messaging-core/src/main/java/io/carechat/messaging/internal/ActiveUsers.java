package io.carechat.messaging.internal;

import io.carechat.messaging.error.ForbiddenException;
import io.carechat.messaging.error.NotFoundException;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.UserStore;

/**
 * Loads users as stored (roles from the store, never from a token) and insists they are enabled.
 * Not API. Thread-safe.
 */
public final class ActiveUsers {
    /** The message when the caller's own account is disabled or gone. */
    public static final String NOT_ACTIVE = "the caller's account is not active";

    private final UserStore users;

    /**
     * Creates the loader.
     *
     * @param users the user store
     */
    public ActiveUsers(UserStore users) {
        this.users = users;
    }

    /**
     * The calling user as stored.
     *
     * @param callerId the authenticated user's id
     * @return the stored, enabled user
     * @throws ForbiddenException if the account no longer exists or is disabled
     */
    public User caller(UserId callerId) {
        return users.find(callerId)
                .filter(User::enabled)
                .orElseThrow(() -> new ForbiddenException(NOT_ACTIVE));
    }

    /**
     * Another user as stored.
     *
     * @param userId the user
     * @return the stored, enabled user
     * @throws NotFoundException if there is no such user or the account is disabled
     */
    public User other(UserId userId) {
        return users.find(userId)
                .filter(User::enabled)
                .orElseThrow(() -> new NotFoundException("user not found"));
    }
}
