package io.carechat.messaging.auth;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.audit.AuditRecorder;
import io.carechat.messaging.error.BadRequestException;
import io.carechat.messaging.error.ConflictException;
import io.carechat.messaging.error.ForbiddenException;
import io.carechat.messaging.error.NotFoundException;
import io.carechat.messaging.error.UnavailableException;
import io.carechat.messaging.event.SessionsRevoked;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.EventBus;
import io.carechat.messaging.spi.UserStore;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * User administration: registration (every new user is a {@link Role#PATIENT}),
 * {@link #createAdmin} for the embedding application's first admin, and what admins do to
 * accounts: setting roles, disabling, enabling, listing. One of the three parts of
 * {@link Accounts}.
 *
 * <p>Rules:
 * <ul>
 *   <li>Admin operations check the caller against the store (an enabled user holding
 *       {@link Role#ADMIN}), not only the token; an admin may neither disable themselves nor take
 *       away their own admin role.</li>
 *   <li>Disabling a user and changing a user's roles refuse their access tokens at once, revoke
 *       all their refresh tokens and publish {@link SessionsRevoked}, on which transports close
 *       the user's sockets.</li>
 *   <li>Every step is audited, metadata only, after the change is stored and before anything is
 *       returned or published; if recording fails the caller gets {@link UnavailableException}: a
 *       registration disables the new account, a role change or an enabling is taken back. A
 *       disabling takes effect even then.</li>
 * </ul>
 *
 * <p>Thread-safe. Lifecycle: made by {@link Accounts.Builder#build()}; holds no resources.
 */
public final class UserAdmin {
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._-]{3,32}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+");
    private static final int MAX_EMAIL = 254;
    private static final int MAX_DISPLAY_NAME = 100;

    private final UserStore users;
    private final EventBus eventBus;
    private final AuditRecorder audit;
    private final PasswordHasher hasher;
    private final PasswordPolicy policy;
    private final Admins admins;
    private final SessionRevoker revoker;

    UserAdmin(UserStore users, EventBus eventBus, AuditRecorder audit,
            PasswordHasher hasher, PasswordPolicy policy, Admins admins, SessionRevoker revoker) {
        this.users = users;
        this.eventBus = eventBus;
        this.audit = audit;
        this.hasher = hasher;
        this.policy = policy;
        this.admins = admins;
        this.revoker = revoker;
    }

    /**
     * Registers a new user, who becomes a {@link Role#PATIENT}.
     *
     * @param registration the new account's details
     * @param client where the request came from
     * @return the stored user
     * @throws BadRequestException if a field or the password breaks a rule
     * @throws ConflictException if the username or e-mail address is taken, in any case
     */
    public User register(Registration registration, ClientContext client) {
        return create(registration, Set.of(Role.PATIENT), "account.register", client);
    }

    /**
     * Creates an admin account, for the embedding application's first admin (or a later one it
     * creates on its own authority). Not reachable from the network through CareChat.
     *
     * @param registration the new account's details
     * @return the stored user, holding {@link Role#ADMIN}
     * @throws BadRequestException if a field or the password breaks a rule
     * @throws ConflictException if the username or e-mail address is taken
     */
    public User createAdmin(Registration registration) {
        return create(registration, Set.of(Role.ADMIN), "account.create_admin", ClientContext.unknown());
    }

    private User create(Registration r, Set<Role> roles, String action, ClientContext client) {
        requireNonNull(r, "registration");
        requireNonNull(client, "client");
        String username = r.username().strip();
        String email = r.email().strip();
        String displayName = r.displayName().strip();
        try {
            checkRegistration(username, email, displayName);
            policy.check(r.password(), username, email);
            if (users.findCredentials(username).isPresent()) {
                throw new ConflictException("username is taken");
            }
            if (users.findCredentials(email).isPresent()) {
                throw new ConflictException("e-mail address is taken");
            }
        } catch (BadRequestException | ConflictException e) {
            audit.recordRefusal(client.describe(audit.event(action, AuditEvent.Outcome.FAILURE))
                    .reason(e instanceof ConflictException ? "taken" : "invalid").build());
            throw e;
        }
        User user = users.create(new User(UserId.random(), username, email, displayName, roles, true,
                audit.clock().instant()), hasher.hash(r.password()));
        audit.recordOrUndo(client.describe(audit.event(action, AuditEvent.Outcome.SUCCESS))
                        .actor(user.id(), user.roles())
                        .object("user", user.id().value())
                        .patient(Admins.patientOf(user))
                        .build(),
                () -> users.setEnabled(user.id(), false));
        return user;
    }

    static void checkRegistration(String username, String email, String displayName) {
        if (!USERNAME.matcher(username).matches()) {
            throw new BadRequestException("username must be 3 to 32 characters from [A-Za-z0-9._-]");
        }
        if (email.length() > MAX_EMAIL || !EMAIL.matcher(email).matches()) {
            throw new BadRequestException("email is not a valid e-mail address");
        }
        if (displayName.isEmpty() || displayName.length() > MAX_DISPLAY_NAME
                || displayName.codePoints().anyMatch(Character::isISOControl)) {
            throw new BadRequestException("displayName must be 1 to 100 characters without control characters");
        }
    }

    /**
     * Replaces a user's roles. When they change, the user's tokens are revoked and sockets closed.
     *
     * @param admin an admin
     * @param userId the user
     * @param roles the new roles, not empty
     * @return the user afterwards
     * @throws ForbiddenException if the caller is not an enabled admin
     * @throws BadRequestException if the roles are empty, or an admin would drop their own admin role
     * @throws NotFoundException if there is no such user
     */
    public User setRoles(Caller admin, UserId userId, Set<Role> roles) {
        requireNonNull(userId, "userId");
        requireNonNull(roles, "roles");
        admins.require(admin, "account.set_roles");
        if (roles.isEmpty()) {
            throw new BadRequestException("a user holds at least one role");
        }
        if (userId.equals(admin.userId()) && !roles.contains(Role.ADMIN)) {
            throw new BadRequestException("an admin cannot take away their own admin role");
        }
        User before = users.find(userId).orElseThrow(() -> new NotFoundException("no such user"));
        if (before.roles().equals(Set.copyOf(roles))) {
            return before;
        }
        User after = users.setRoles(userId, roles);
        revoker.revokeTokens(userId);
        audit.recordOrUndo(audit.event(admin, "account.set_roles", AuditEvent.Outcome.SUCCESS)
                        .object("user", userId.value())
                        .patient(Admins.patientOf(before))
                        .build(),
                () -> users.setRoles(userId, before.roles()));
        eventBus.publish(new SessionsRevoked(userId, SessionsRevoked.Reason.ROLES_CHANGED));
        return after;
    }

    /**
     * Disables a user: they cannot log in or refresh, their refresh tokens are revoked and their
     * sockets closed.
     *
     * @param admin an admin
     * @param userId the user
     * @return the user afterwards
     * @throws ForbiddenException if the caller is not an enabled admin
     * @throws BadRequestException if an admin tries to disable themselves
     * @throws NotFoundException if there is no such user
     */
    public User disable(Caller admin, UserId userId) {
        requireNonNull(userId, "userId");
        admins.require(admin, "account.disable");
        if (userId.equals(admin.userId())) {
            throw new BadRequestException("an admin cannot disable themselves");
        }
        User after = users.setEnabled(userId, false);
        revoker.revoke(admin, userId, SessionsRevoked.Reason.DISABLED, "account.disable", Admins.patientOf(after));
        return after;
    }

    /**
     * Enables a disabled user again.
     *
     * @param admin an admin
     * @param userId the user
     * @return the user afterwards
     * @throws ForbiddenException if the caller is not an enabled admin
     * @throws NotFoundException if there is no such user
     */
    public User enable(Caller admin, UserId userId) {
        requireNonNull(userId, "userId");
        admins.require(admin, "account.enable");
        User after = users.setEnabled(userId, true);
        audit.recordOrUndo(audit.event(admin, "account.enable", AuditEvent.Outcome.SUCCESS)
                        .object("user", userId.value())
                        .patient(Admins.patientOf(after))
                        .build(),
                () -> users.setEnabled(userId, false));
        return after;
    }

    /**
     * Lists users, ordered by lower-case username, a page at a time.
     *
     * @param admin an admin
     * @param afterUsername start after this username, or null for the first page
     * @param limit the page size, 1 to 500
     * @return the users
     * @throws ForbiddenException if the caller is not an enabled admin
     */
    public List<User> listUsers(Caller admin, @Nullable String afterUsername, int limit) {
        admins.require(admin, "account.list");
        Admins.checkLimit(limit);
        List<User> page = users.list(afterUsername, limit);
        audit.record(audit.event(admin, "account.list", AuditEvent.Outcome.SUCCESS).build());
        return page;
    }
}
