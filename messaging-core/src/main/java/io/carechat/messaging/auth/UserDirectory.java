package io.carechat.messaging.auth;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.audit.AuditRecorder;
import io.carechat.messaging.error.BadRequestException;
import io.carechat.messaging.error.ConflictException;
import io.carechat.messaging.error.NotFoundException;
import io.carechat.messaging.error.UnavailableException;
import io.carechat.messaging.event.SessionsRevoked;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.EventBus;
import io.carechat.messaging.spi.UserStore;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The user directory API: keeps CareChat's users in step with the embedding application's own
 * directory (its HR system, LDAP, or identity provider), without passwords. Users made here have
 * no password and sign in only through an external identity provider, whose subject is their
 * CareChat user id. One of the parts of {@link Accounts}, reached through
 * {@link Accounts#directory()}.
 *
 * <p>This is a trusted, server-side API: no end user calls it and no token is checked. Every
 * method takes the name of the system acting, such as {@code hr-sync}, which the audit trail
 * records as the event's client (an event with no user behind it, like a scheduled job's). The
 * embedding application must not expose these methods to end users as they are; an HTTP endpoint
 * in front of them checks an admin first.
 *
 * <p>Rules:
 * <ul>
 *   <li>{@link #upsert} creates the user when absent and otherwise replaces the username, e-mail
 *       address, display name and roles; {@link #update} does the same to an existing user only.
 *       An unchanged user is neither written nor audited, so a sync may send every user every
 *       time. Neither enables a deactivated user; {@link #reactivate} does.</li>
 *   <li>A change of roles refuses the user's access tokens at once, revokes their refresh tokens
 *       and publishes {@link SessionsRevoked} ({@code ROLES_CHANGED}), as an admin's role change
 *       does.</li>
 *   <li>{@link #deactivate} disables the user, refuses their access tokens at once, revokes their
 *       refresh tokens and publishes {@link SessionsRevoked} ({@code DISABLED}), on which
 *       transports close the user's sockets; it takes effect even when the audit record fails.</li>
 *   <li>Bad values are a {@link BadRequestException}, audited as a failure of
 *       {@code directory.upsert} or {@code directory.update} with reason {@code invalid}; a
 *       username or e-mail address another user holds (in any case) is a
 *       {@link ConflictException}, audited as a failure of {@code directory.create} or
 *       {@code directory.update} with reason {@code taken}. A malformed actor is refused before
 *       anything is recorded. No message carries a name, an address or a subject.</li>
 *   <li>Every change is audited as {@code directory.create}, {@code directory.update},
 *       {@code directory.deactivate} or {@code directory.reactivate}, metadata only; if recording
 *       fails the caller gets {@link UnavailableException} and a creation is disabled again, an
 *       update or a reactivation taken back.</li>
 * </ul>
 *
 * <p>Thread-safe: two upserts of one absent user at once create it once (the store refuses the
 * second creation, which then updates the user the first made). Lifecycle: made by
 * {@link Accounts.Builder#build()}; holds no resources.
 */
public final class UserDirectory {
    private static final Pattern ACTOR = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");

    private final UserStore users;
    private final EventBus eventBus;
    private final AuditRecorder audit;
    private final SessionRevoker revoker;

    UserDirectory(UserStore users, EventBus eventBus, AuditRecorder audit, SessionRevoker revoker) {
        this.users = users;
        this.eventBus = eventBus;
        this.audit = audit;
        this.revoker = revoker;
    }

    /**
     * Creates the user when no user has its id, else brings the stored user in line with it.
     *
     * @param actor the system acting, 1 to 64 characters from {@code [A-Za-z0-9._:-]}, such as
     *     {@code hr-sync}
     * @param user the user as the directory knows it
     * @return the stored user afterwards
     * @throws BadRequestException if the actor or a field breaks a rule
     * @throws ConflictException if another user holds the username or e-mail address
     */
    public User upsert(String actor, DirectoryUser user) {
        DirectoryUser wanted = checked(actor, user, "directory.upsert");
        Optional<User> stored = users.find(wanted.id());
        if (stored.isPresent()) {
            return change(actor, stored.get(), wanted);
        }
        try {
            return create(actor, wanted);
        } catch (ConflictException e) {
            // Another upsert of the same id created it first: bring that one in line instead.
            Optional<User> created = users.find(wanted.id());
            if (created.isEmpty()) {
                throw e;
            }
            return change(actor, created.get(), wanted);
        }
    }

    /**
     * Brings an existing user in line with the directory.
     *
     * @param actor the system acting, as for {@link #upsert}
     * @param user the user as the directory knows it
     * @return the stored user afterwards
     * @throws BadRequestException if the actor or a field breaks a rule
     * @throws NotFoundException if there is no user with its id
     * @throws ConflictException if another user holds the username or e-mail address
     */
    public User update(String actor, DirectoryUser user) {
        DirectoryUser wanted = checked(actor, user, "directory.update");
        User stored = users.find(wanted.id()).orElseThrow(() -> new NotFoundException("no such user"));
        return change(actor, stored, wanted);
    }

    /**
     * Disables a user and ends their sessions at once: their access tokens are refused, their
     * refresh tokens revoked and their sockets closed.
     *
     * @param actor the system acting, as for {@link #upsert}
     * @param id the user
     * @return the user afterwards
     * @throws BadRequestException if the actor breaks its rule
     * @throws NotFoundException if there is no such user
     */
    public User deactivate(String actor, UserId id) {
        checkActor(actor);
        requireNonNull(id, "id");
        User after = users.setEnabled(id, false);
        revoker.revokeTokens(id);
        eventBus.publish(new SessionsRevoked(id, SessionsRevoked.Reason.DISABLED));
        audit.record(audit.jobEvent(actor, "directory.deactivate", AuditEvent.Outcome.SUCCESS)
                .object("user", id.value())
                .patient(Admins.patientOf(after))
                .build());
        return after;
    }

    /**
     * Enables a deactivated user again.
     *
     * @param actor the system acting, as for {@link #upsert}
     * @param id the user
     * @return the user afterwards
     * @throws BadRequestException if the actor breaks its rule
     * @throws NotFoundException if there is no such user
     */
    public User reactivate(String actor, UserId id) {
        checkActor(actor);
        requireNonNull(id, "id");
        User after = users.setEnabled(id, true);
        audit.recordOrUndo(audit.jobEvent(actor, "directory.reactivate", AuditEvent.Outcome.SUCCESS)
                        .object("user", id.value())
                        .patient(Admins.patientOf(after))
                        .build(),
                () -> users.setEnabled(id, false));
        return after;
    }

    private User create(String actor, DirectoryUser wanted) {
        checkFree(actor, wanted, "directory.create");
        User user = users.create(new User(wanted.id(), wanted.username(), wanted.email(), wanted.displayName(),
                wanted.roles(), true, audit.clock().instant()), ExternalUserProvisioner.NO_PASSWORD);
        audit.recordOrUndo(audit.jobEvent(actor, "directory.create", AuditEvent.Outcome.SUCCESS)
                        .object("user", user.id().value())
                        .patient(Admins.patientOf(user))
                        .build(),
                () -> users.setEnabled(user.id(), false));
        return user;
    }

    private User change(String actor, User before, DirectoryUser wanted) {
        boolean profileChanged = !before.username().equals(wanted.username())
                || !before.email().equals(wanted.email())
                || !before.displayName().equals(wanted.displayName());
        boolean rolesChanged = !before.roles().equals(wanted.roles());
        if (!profileChanged && !rolesChanged) {
            return before;
        }
        checkFree(actor, wanted, "directory.update");
        User after = before;
        if (profileChanged) {
            after = users.updateProfile(before.id(), wanted.username(), wanted.email(), wanted.displayName());
        }
        if (rolesChanged) {
            after = users.setRoles(before.id(), wanted.roles());
            revoker.revokeTokens(before.id());
        }
        audit.recordOrUndo(audit.jobEvent(actor, "directory.update", AuditEvent.Outcome.SUCCESS)
                        .object("user", before.id().value())
                        .patient(patientOf(before, after))
                        .build(),
                () -> restore(before, profileChanged, rolesChanged));
        if (rolesChanged) {
            eventBus.publish(new SessionsRevoked(before.id(), SessionsRevoked.Reason.ROLES_CHANGED));
        }
        return after;
    }

    /** The user, as the patient involved, when they were or become a patient. */
    private static @Nullable UserId patientOf(User before, User after) {
        return before.hasRole(Role.PATIENT) || after.hasRole(Role.PATIENT) ? before.id() : null;
    }

    private void restore(User before, boolean profileChanged, boolean rolesChanged) {
        if (rolesChanged) {
            users.setRoles(before.id(), before.roles());
        }
        if (profileChanged) {
            users.updateProfile(before.id(), before.username(), before.email(), before.displayName());
        }
    }

    /** Refuses, audited, a username or e-mail address another user holds. */
    private void checkFree(String actor, DirectoryUser wanted, String action) {
        String taken = null;
        if (heldByAnother(wanted.username(), wanted.id())) {
            taken = "username is taken";
        } else if (heldByAnother(wanted.email(), wanted.id())) {
            taken = "e-mail address is taken";
        }
        if (taken != null) {
            audit.recordRefusal(audit.jobEvent(actor, action, AuditEvent.Outcome.FAILURE)
                    .object("user", wanted.id().value())
                    .reason("taken")
                    .build());
            throw new ConflictException(taken);
        }
    }

    private boolean heldByAnother(String login, UserId id) {
        return users.findCredentials(login).filter(c -> !c.user().id().equals(id)).isPresent();
    }

    /** The user with its text fields stripped, after checking them and the actor. */
    private DirectoryUser checked(String actor, DirectoryUser user, String action) {
        checkActor(actor);
        requireNonNull(user, "user");
        DirectoryUser stripped = new DirectoryUser(user.id(), user.username().strip(), user.email().strip(),
                user.displayName().strip(), user.roles());
        try {
            UserAdmin.checkRegistration(stripped.username(), stripped.email(), stripped.displayName());
            if (stripped.roles().isEmpty()) {
                throw new BadRequestException("a user holds at least one role");
            }
        } catch (BadRequestException e) {
            audit.recordRefusal(audit.jobEvent(actor, action, AuditEvent.Outcome.FAILURE)
                    .object("user", user.id().value())
                    .reason("invalid")
                    .build());
            throw e;
        }
        return stripped;
    }

    private static void checkActor(String actor) {
        requireNonNull(actor, "actor");
        if (!ACTOR.matcher(actor).matches()) {
            throw new BadRequestException("actor must be 1 to 64 characters from [A-Za-z0-9._:-]");
        }
    }
}
