package io.carechat.messaging.auth;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.audit.AuditRecorder;
import io.carechat.messaging.error.BadRequestException;
import io.carechat.messaging.error.ForbiddenException;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.UserStore;
import org.jspecify.annotations.Nullable;

/**
 * The rules admin operations share: the caller must be an enabled admin in the store, not only by
 * token (a refusal is audited); list pages are bounded; an action on a user involves that user as
 * the patient when they hold the patient role. Thread-safe. Lifecycle: made with its
 * {@link Accounts}; holds no resources.
 */
final class Admins {
    /** The largest page an admin may list. */
    static final int MAX_LIST = 500;

    private final UserStore users;
    private final AuditRecorder audit;

    Admins(UserStore users, AuditRecorder audit) {
        this.users = users;
        this.audit = audit;
    }

    /**
     * Checks that the caller is a stored, enabled admin; a refusal is audited, then thrown.
     *
     * @param caller who asks
     * @param action the audit action of what they asked for
     * @throws ForbiddenException if they are not
     */
    void require(Caller caller, String action) {
        requireNonNull(caller, "caller");
        boolean admin = caller.hasRole(Role.ADMIN)
                && users.find(caller.userId()).filter(u -> u.enabled() && u.hasRole(Role.ADMIN)).isPresent();
        if (!admin) {
            audit.recordRefusal(audit.event(caller, action, AuditEvent.Outcome.FAILURE).reason("not_admin").build());
            throw new ForbiddenException("admin role required");
        }
    }

    /**
     * Checks a page size.
     *
     * @param limit the page size asked for
     * @throws BadRequestException unless it is 1 to {@link #MAX_LIST}
     */
    static void checkLimit(int limit) {
        if (limit < 1 || limit > MAX_LIST) {
            throw new BadRequestException("limit must be 1 to " + MAX_LIST);
        }
    }

    /**
     * The patient an action on a user involves.
     *
     * @param user the user acted on
     * @return the user's id when they hold the patient role, else null
     */
    static @Nullable UserId patientOf(User user) {
        return user.hasRole(Role.PATIENT) ? user.id() : null;
    }
}
