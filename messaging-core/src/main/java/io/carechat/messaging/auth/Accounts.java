package io.carechat.messaging.auth;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.error.BadRequestException;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.error.ConfigurationException;
import io.carechat.messaging.error.ConflictException;
import io.carechat.messaging.error.ForbiddenException;
import io.carechat.messaging.error.NotFoundException;
import io.carechat.messaging.error.RateLimitedException;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.RoleRequest;
import io.carechat.messaging.model.RoleRequestId;
import io.carechat.messaging.model.RoleRequestStatus;
import io.carechat.messaging.error.UnauthenticatedException;
import io.carechat.messaging.error.UnavailableException;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.event.RoleRequested;
import io.carechat.messaging.event.SessionsRevoked;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.AuditSink;
import io.carechat.messaging.spi.EventBus;
import io.carechat.messaging.spi.RefreshTokenStore;
import io.carechat.messaging.spi.RoleRequestStore;
import io.carechat.messaging.spi.StoredCredentials;
import io.carechat.messaging.spi.StoredRefreshToken;
import io.carechat.messaging.spi.UserStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accounts and sessions: registration (every new user is a {@link Role#PATIENT}), login by
 * username or e-mail address, refresh-token rotation, logout, the role workflow (a patient asks
 * for {@link Role#DOCTOR}, an admin approves or denies), and user management by admins (setting
 * roles, disabling, listing), plus {@link #createAdmin} for the embedding application's first
 * admin.
 *
 * <p>Rules:
 * <ul>
 *   <li>Every failed login is one {@link UnauthenticatedException} with one message, whether the
 *       user is unknown, the password wrong or the account disabled; an unknown user costs the
 *       same password hashing as a known one. Repeated failures per login name and per source
 *       address are refused for a while with {@link RateLimitedException}, without checking the
 *       password.</li>
 *   <li>A refresh token is used once: each use returns a new one. Presenting one that was already
 *       used revokes its whole family (every token descended from the same login) and is audited
 *       as {@code auth.refresh_reuse}.</li>
 *   <li>Logout, disabling a user and changing a user's roles revoke all the user's refresh tokens
 *       and publish {@link SessionsRevoked}, on which transports close the user's sockets.</li>
 *   <li>Admin operations check the caller against the store (an enabled user holding
 *       {@link Role#ADMIN}), not only the token; an admin may neither disable themselves nor take
 *       away their own admin role.</li>
 *   <li>Every step is audited through the {@link AuditSink}, metadata only. The event is recorded
 *       after the change is stored and before anything is returned or published; if recording
 *       fails, the caller gets {@link UnavailableException}: a login or refresh revokes the tokens
 *       it made, a registration disables the new account, a granted role is taken back and a new
 *       role request is withdrawn. Revocations (logout, disable) take effect even then.</li>
 * </ul>
 *
 * <p>Thread-safe. Lifecycle: build one with {@link #builder()} from explicit collaborators (the
 * facade does this from its own builder) and share it; it holds no resources to close.
 */
public final class Accounts {

    static final String LOGIN_FAILURE = "invalid login or password";
    static final String REFRESH_FAILURE = "invalid or expired refresh token";
    static final String THROTTLED = "too many failed logins; try again later";
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._-]{3,32}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+");
    private static final int MAX_EMAIL = 254;
    private static final int MAX_DISPLAY_NAME = 100;
    private static final int MAX_NOTE = 1_000;
    private static final int MAX_LOGIN = 320;
    private static final int MAX_LIST = 500;
    private static final Logger LOG = LoggerFactory.getLogger(Accounts.class);

    private final UserStore users;
    private final RoleRequestStore roleRequests;
    private final RefreshTokenStore refreshTokens;
    private final AuditSink audit;
    private final EventBus eventBus;
    private final Clock clock;
    private final AccessTokens accessTokens;
    private final PasswordHasher hasher;
    private final PasswordPolicy policy;
    private final LoginThrottle throttle;
    private final Duration refreshTtl;
    private final OpaqueTokens opaque = new OpaqueTokens();
    private final String dummyHash;

    private Accounts(Builder b) {
        this.users = requireNonNull(b.users);
        this.roleRequests = requireNonNull(b.roleRequests);
        this.refreshTokens = requireNonNull(b.refreshTokens);
        this.audit = requireNonNull(b.audit);
        this.eventBus = requireNonNull(b.eventBus);
        this.clock = b.clock;
        this.accessTokens = requireNonNull(b.accessTokens);
        this.hasher = b.hasher;
        this.policy = b.policy;
        this.throttle = new LoginThrottle(b.throttle, b.clock);
        this.refreshTtl = accessTokens.settings().refreshTokenTtl();
        this.dummyHash = hasher.hash(opaque.newToken());
    }

    /**
     * Starts wiring the account service.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    // ---- registration and login ----

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
        Instant now = clock.instant();
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
            recordQuietly(event(now, action, AuditEvent.Outcome.FAILURE, null, client)
                    .reason(e instanceof ConflictException ? "taken" : "invalid").build());
            throw e;
        }
        User user = users.create(
                new User(UserId.random(), username, email, displayName, roles, true, now), hasher.hash(r.password()));
        recordOrUndo(event(now, action, AuditEvent.Outcome.SUCCESS, null, client)
                        .actor(user.id(), user.roles())
                        .object("user", user.id().value())
                        .patient(patientOf(user))
                        .build(),
                () -> users.setEnabled(user.id(), false));
        return user;
    }

    private static void checkRegistration(String username, String email, String displayName) {
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
     * Logs a user in by username or e-mail address (either without regard to case).
     *
     * @param login the username or e-mail address
     * @param password the password
     * @param client where the request came from; its address is throttled
     * @return a new access token and a new refresh-token family
     * @throws UnauthenticatedException with one message for every cause
     * @throws RateLimitedException after too many recent failures for this login or address
     */
    public SessionTokens login(String login, String password, ClientContext client) {
        requireNonNull(login, "login");
        requireNonNull(password, "password");
        requireNonNull(client, "client");
        Instant now = clock.instant();
        if (throttle.isBlocked(login, client.address())) {
            recordQuietly(event(now, "auth.login", AuditEvent.Outcome.FAILURE, null, client).reason("throttled").build());
            throw new RateLimitedException(THROTTLED);
        }
        if (login.length() > MAX_LOGIN || password.length() > policy.maxLength() * 4) {
            throw loginFailure(login, client, now, null, "invalid_input");
        }
        Optional<StoredCredentials> found = users.findCredentials(login.strip());
        if (found.isEmpty()) {
            hasher.verify(password, dummyHash);
            throw loginFailure(login, client, now, null, "unknown_user");
        }
        User user = found.get().user();
        PasswordHasher.Verification verification = hasher.verify(password, found.get().passwordHash());
        if (!verification.matches()) {
            throw loginFailure(login, client, now, user, "wrong_password");
        }
        if (!user.enabled()) {
            throw loginFailure(login, client, now, user, "disabled");
        }
        throttle.recordSuccess(login);
        if (verification == PasswordHasher.Verification.MATCH_REHASH_NEEDED) {
            users.setPasswordHash(user.id(), hasher.hash(password));
        }
        String familyId = opaque.newFamilyId();
        String refresh = opaque.newToken();
        refreshTokens.create(new StoredRefreshToken(
                OpaqueTokens.hash(refresh), familyId, user.id(), now, now.plus(refreshTtl)));
        IssuedAccessToken access = accessTokens.issue(user);
        recordOrUndo(event(now, "auth.login", AuditEvent.Outcome.SUCCESS, null, client)
                        .actor(user.id(), user.roles())
                        .object("user", user.id().value())
                        .build(),
                () -> refreshTokens.revokeFamily(familyId, now));
        return tokens(access, refresh, user, now);
    }

    private UnauthenticatedException loginFailure(
            String login, ClientContext client, Instant now, @Nullable User user, String reason) {
        throttle.recordFailure(login, client.address());
        AuditEvent.Builder event = event(now, "auth.login", AuditEvent.Outcome.FAILURE, null, client).reason(reason);
        if (user != null) {
            event.object("user", user.id().value());
        }
        recordQuietly(event.build());
        return new UnauthenticatedException(LOGIN_FAILURE);
    }

    /**
     * Uses a refresh token: returns a new access token and a new refresh token, and the one used
     * stops working. A token used a second time revokes its whole family.
     *
     * @param refreshToken the refresh token
     * @param client where the request came from
     * @return the new tokens
     * @throws UnauthenticatedException with one message for every cause (unknown, used, revoked,
     *     expired, malformed, or the user disabled)
     */
    public SessionTokens refresh(String refreshToken, ClientContext client) {
        requireNonNull(refreshToken, "refreshToken");
        requireNonNull(client, "client");
        Instant now = clock.instant();
        if (!OpaqueTokens.isWellFormed(refreshToken)) {
            throw refreshFailure(now, client, null, "malformed");
        }
        String successor = opaque.newToken();
        RefreshTokenStore.Rotation rotation = refreshTokens.rotate(
                OpaqueTokens.hash(refreshToken), OpaqueTokens.hash(successor), now, now.plus(refreshTtl));
        StoredRefreshToken presented = rotation.presented();
        switch (rotation.outcome()) {
            case ROTATED:
                break;
            case REUSED:
                requireNonNull(presented);
                refreshTokens.revokeFamily(presented.familyId(), now);
                recordQuietly(event(now, "auth.refresh_reuse", AuditEvent.Outcome.FAILURE, null, client)
                        .object("token_family", presented.familyId())
                        .reason("family_revoked")
                        .actor(presented.userId(), Set.of())
                        .build());
                throw new UnauthenticatedException(REFRESH_FAILURE);
            case REVOKED:
                throw refreshFailure(now, client, presented, "revoked");
            case EXPIRED:
                throw refreshFailure(now, client, presented, "expired");
            default:
                throw refreshFailure(now, client, null, "unknown");
        }
        requireNonNull(presented);
        Optional<User> user = users.find(presented.userId());
        if (user.isEmpty() || !user.get().enabled()) {
            refreshTokens.revokeFamily(presented.familyId(), now);
            throw refreshFailure(now, client, presented, "disabled");
        }
        IssuedAccessToken access = accessTokens.issue(user.get());
        recordOrUndo(event(now, "auth.refresh", AuditEvent.Outcome.SUCCESS, null, client)
                        .actor(user.get().id(), user.get().roles())
                        .object("token_family", presented.familyId())
                        .build(),
                () -> refreshTokens.revokeFamily(presented.familyId(), now));
        return tokens(access, successor, user.get(), now);
    }

    private UnauthenticatedException refreshFailure(
            Instant now, ClientContext client, @Nullable StoredRefreshToken presented, String reason) {
        AuditEvent.Builder event = event(now, "auth.refresh", AuditEvent.Outcome.FAILURE, null, client).reason(reason);
        if (presented != null) {
            event.actor(presented.userId(), Set.of()).object("token_family", presented.familyId());
        }
        recordQuietly(event.build());
        return new UnauthenticatedException(REFRESH_FAILURE);
    }

    /**
     * Logs the caller out everywhere: revokes all their refresh tokens and closes their sockets
     * (through {@link SessionsRevoked}). Their access tokens lapse within their short lifetime.
     *
     * @param caller the user
     */
    public void logout(Caller caller) {
        requireNonNull(caller, "caller");
        revokeSessions(caller, caller.userId(), SessionsRevoked.Reason.LOGOUT, "auth.logout", null);
    }

    /**
     * The caller's own account, as stored.
     *
     * @param caller the user
     * @return the user
     * @throws UnauthenticatedException if the account no longer exists or is disabled
     */
    public User me(Caller caller) {
        requireNonNull(caller, "caller");
        return users.find(caller.userId()).filter(User::enabled)
                .orElseThrow(() -> new UnauthenticatedException(AccessTokens.GENERIC_FAILURE));
    }

    // ---- the role workflow ----

    /**
     * A patient asks for the {@link Role#DOCTOR} role, with a note for the admins. Admins' live
     * sessions hear of it at once through {@link RoleRequested}.
     *
     * @param caller the patient
     * @param role the role asked for; only {@link Role#DOCTOR}
     * @param note what the admins should know (up to 1,000 characters)
     * @return the pending request
     * @throws BadRequestException for another role or an over-long note
     * @throws ForbiddenException if the caller is not an enabled patient
     * @throws ConflictException if the caller already holds the role or has a pending request
     */
    public RoleRequest requestRole(Caller caller, Role role, String note) {
        requireNonNull(caller, "caller");
        requireNonNull(role, "role");
        requireNonNull(note, "note");
        Instant now = clock.instant();
        String cleanNote = note.strip();
        if (role != Role.DOCTOR) {
            throw new BadRequestException("only the DOCTOR role can be requested");
        }
        if (cleanNote.length() > MAX_NOTE
                || cleanNote.codePoints().anyMatch(cp -> Character.isISOControl(cp) && cp != '\n')) {
            throw new BadRequestException("note must be at most 1000 characters without control characters");
        }
        User user = users.find(caller.userId()).filter(User::enabled).orElse(null);
        if (user == null || !user.hasRole(Role.PATIENT)) {
            recordQuietly(event(now, "role.request", AuditEvent.Outcome.FAILURE, caller, null).reason("not_patient").build());
            throw new ForbiddenException("only a patient can request a role");
        }
        if (user.hasRole(role)) {
            throw new ConflictException("the role is already held");
        }
        RoleRequest request = roleRequests.create(
                new RoleRequest(RoleRequestId.random(), user.id(), role, cleanNote, RoleRequestStatus.PENDING, now, null, null));
        recordOrUndo(event(now, "role.request", AuditEvent.Outcome.SUCCESS, caller, null)
                        .object("role_request", request.id().value())
                        .patient(user.id())
                        .build(),
                () -> roleRequests.decide(request.id(), RoleRequestStatus.DENIED, user.id(), now));
        eventBus.publish(new RoleRequested(request));
        return request;
    }

    /**
     * Pending role requests, oldest first.
     *
     * @param admin an admin
     * @param limit the most to return, 1 to 500
     * @return the requests
     * @throws ForbiddenException if the caller is not an enabled admin
     */
    public List<RoleRequest> pendingRoleRequests(Caller admin, int limit) {
        requireAdmin(admin, "role.list");
        checkLimit(limit);
        List<RoleRequest> pending = roleRequests.pending(limit);
        record(event(clock.instant(), "role.list", AuditEvent.Outcome.SUCCESS, admin, null).build());
        return pending;
    }

    /**
     * Approves a pending request: the user gains the role, their tokens are revoked and their
     * sockets closed, so their next login carries the new role.
     *
     * @param admin an admin
     * @param id the request
     * @return the decided request
     * @throws ForbiddenException if the caller is not an enabled admin
     * @throws NotFoundException if there is no such request
     * @throws ConflictException if it was already decided
     */
    public RoleRequest approve(Caller admin, RoleRequestId id) {
        requireNonNull(id, "id");
        requireAdmin(admin, "role.approve");
        Instant now = clock.instant();
        RoleRequest decided = roleRequests.decide(id, RoleRequestStatus.APPROVED, admin.userId(), now);
        User before = users.find(decided.userId()).orElseThrow(() -> new NotFoundException("no such user"));
        Set<Role> roles = EnumSet.copyOf(before.roles());
        roles.add(decided.role());
        users.setRoles(before.id(), roles);
        refreshTokens.revokeAll(before.id(), now);
        recordOrUndo(event(now, "role.approve", AuditEvent.Outcome.SUCCESS, admin, null)
                        .object("role_request", id.value())
                        .patient(patientOf(before))
                        .build(),
                () -> users.setRoles(before.id(), before.roles()));
        eventBus.publish(new SessionsRevoked(before.id(), SessionsRevoked.Reason.ROLES_CHANGED));
        return decided;
    }

    /**
     * Denies a pending request. The user's roles stay as they were.
     *
     * @param admin an admin
     * @param id the request
     * @return the decided request
     * @throws ForbiddenException if the caller is not an enabled admin
     * @throws NotFoundException if there is no such request
     * @throws ConflictException if it was already decided
     */
    public RoleRequest deny(Caller admin, RoleRequestId id) {
        requireNonNull(id, "id");
        requireAdmin(admin, "role.deny");
        Instant now = clock.instant();
        RoleRequest decided = roleRequests.decide(id, RoleRequestStatus.DENIED, admin.userId(), now);
        record(event(now, "role.deny", AuditEvent.Outcome.SUCCESS, admin, null)
                .object("role_request", id.value())
                .patient(decided.userId())
                .build());
        return decided;
    }

    // ---- user management ----

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
        requireAdmin(admin, "account.set_roles");
        if (roles.isEmpty()) {
            throw new BadRequestException("a user holds at least one role");
        }
        if (userId.equals(admin.userId()) && !roles.contains(Role.ADMIN)) {
            throw new BadRequestException("an admin cannot take away their own admin role");
        }
        Instant now = clock.instant();
        User before = users.find(userId).orElseThrow(() -> new NotFoundException("no such user"));
        if (before.roles().equals(Set.copyOf(roles))) {
            return before;
        }
        User after = users.setRoles(userId, roles);
        refreshTokens.revokeAll(userId, now);
        recordOrUndo(event(now, "account.set_roles", AuditEvent.Outcome.SUCCESS, admin, null)
                        .object("user", userId.value())
                        .patient(patientOf(before))
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
        requireAdmin(admin, "account.disable");
        if (userId.equals(admin.userId())) {
            throw new BadRequestException("an admin cannot disable themselves");
        }
        User after = users.setEnabled(userId, false);
        revokeSessions(admin, userId, SessionsRevoked.Reason.DISABLED, "account.disable", patientOf(after));
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
        requireAdmin(admin, "account.enable");
        User after = users.setEnabled(userId, true);
        recordOrUndo(event(clock.instant(), "account.enable", AuditEvent.Outcome.SUCCESS, admin, null)
                        .object("user", userId.value())
                        .patient(patientOf(after))
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
        requireAdmin(admin, "account.list");
        checkLimit(limit);
        List<User> page = users.list(afterUsername, limit);
        record(event(clock.instant(), "account.list", AuditEvent.Outcome.SUCCESS, admin, null).build());
        return page;
    }

    // ---- helpers ----

    private void revokeSessions(
            Caller actor, UserId userId, SessionsRevoked.Reason reason, String action, @Nullable UserId patient) {
        Instant now = clock.instant();
        refreshTokens.revokeAll(userId, now);
        eventBus.publish(new SessionsRevoked(userId, reason));
        record(event(now, action, AuditEvent.Outcome.SUCCESS, actor, null)
                .object("user", userId.value())
                .patient(patient)
                .build());
    }

    private void requireAdmin(Caller caller, String action) {
        requireNonNull(caller, "caller");
        boolean admin = caller.hasRole(Role.ADMIN)
                && users.find(caller.userId()).filter(u -> u.enabled() && u.hasRole(Role.ADMIN)).isPresent();
        if (!admin) {
            recordQuietly(event(clock.instant(), action, AuditEvent.Outcome.FAILURE, caller, null)
                    .reason("not_admin").build());
            throw new ForbiddenException("admin role required");
        }
    }

    private static void checkLimit(int limit) {
        if (limit < 1 || limit > MAX_LIST) {
            throw new BadRequestException("limit must be 1 to " + MAX_LIST);
        }
    }

    private SessionTokens tokens(IssuedAccessToken access, String refresh, User user, Instant now) {
        long expiresIn = Math.max(0, Duration.between(now, access.expiresAt()).toSeconds());
        return new SessionTokens(access.token(), refresh, access.expiresAt(), expiresIn, user);
    }

    private static @Nullable UserId patientOf(User user) {
        return user.hasRole(Role.PATIENT) ? user.id() : null;
    }

    private static AuditEvent.Builder event(
            Instant now, String action, AuditEvent.Outcome outcome, @Nullable Caller caller, @Nullable ClientContext client) {
        AuditEvent.Builder event = AuditEvent.builder(now, action, outcome);
        if (caller != null) {
            event.actor(caller.userId(), caller.roles()).client(caller.clientAddress(), null, caller.requestId());
        }
        if (client != null) {
            event.client(client.address(), client.clientId(), client.requestId());
        }
        return event;
    }

    /** Records an event; a failure to record becomes {@link UnavailableException}. */
    private void record(AuditEvent event) {
        try {
            audit.record(event);
        } catch (RuntimeException e) {
            throw new UnavailableException("the audit trail is unavailable", e);
        }
    }

    /** Records an event; if that fails, undoes the change the event describes, then fails. */
    private void recordOrUndo(AuditEvent event, Runnable undo) {
        try {
            audit.record(event);
        } catch (RuntimeException e) {
            try {
                undo.run();
            } catch (RuntimeException undoFailure) {
                e.addSuppressed(undoFailure);
            }
            throw new UnavailableException("the audit trail is unavailable", e);
        }
    }

    /** Records the audit event of a refusal; the refusal stands even if recording fails. */
    private void recordQuietly(AuditEvent event) {
        try {
            audit.record(event);
        } catch (RuntimeException e) {
            LOG.warn("The audit sink failed to record a refused {} ({})", event.action(), e.getClass().getName());
        }
    }

    /** Wires {@link Accounts}. Not thread-safe; use from one thread. */
    public static final class Builder {
        private @Nullable UserStore users;
        private @Nullable RoleRequestStore roleRequests;
        private @Nullable RefreshTokenStore refreshTokens;
        private @Nullable AuditSink audit;
        private @Nullable EventBus eventBus;
        private @Nullable AccessTokens accessTokens;
        private Clock clock = Clock.systemUTC();
        private PasswordHasher hasher = PasswordHasher.defaults();
        private PasswordPolicy policy = PasswordPolicy.defaults();
        private LoginThrottle.Settings throttle = LoginThrottle.Settings.defaults();

        private Builder() {}

        /**
         * Sets the user store. Required.
         *
         * @param value the store
         * @return this builder
         */
        public Builder users(UserStore value) {
            this.users = requireNonNull(value, "users");
            return this;
        }

        /**
         * Sets the role request store. Required.
         *
         * @param value the store
         * @return this builder
         */
        public Builder roleRequests(RoleRequestStore value) {
            this.roleRequests = requireNonNull(value, "roleRequests");
            return this;
        }

        /**
         * Sets the refresh token store. Required.
         *
         * @param value the store
         * @return this builder
         */
        public Builder refreshTokens(RefreshTokenStore value) {
            this.refreshTokens = requireNonNull(value, "refreshTokens");
            return this;
        }

        /**
         * Sets the audit sink. Required.
         *
         * @param value the sink
         * @return this builder
         */
        public Builder auditSink(AuditSink value) {
            this.audit = requireNonNull(value, "auditSink");
            return this;
        }

        /**
         * Sets the event bus for {@link RoleRequested} and {@link SessionsRevoked}. Required.
         *
         * @param value the bus
         * @return this builder
         */
        public Builder eventBus(EventBus value) {
            this.eventBus = requireNonNull(value, "eventBus");
            return this;
        }

        /**
         * Sets the access-token service, whose settings also give the refresh-token lifetime.
         * Required.
         *
         * @param value the service
         * @return this builder
         */
        public Builder accessTokens(AccessTokens value) {
            this.accessTokens = requireNonNull(value, "accessTokens");
            return this;
        }

        /**
         * Sets the clock; the default is the UTC system clock.
         *
         * @param value the clock
         * @return this builder
         */
        public Builder clock(Clock value) {
            this.clock = requireNonNull(value, "clock");
            return this;
        }

        /**
         * Sets the password hasher; the default is {@link PasswordHasher#defaults()}.
         *
         * @param value the hasher
         * @return this builder
         */
        public Builder passwordHasher(PasswordHasher value) {
            this.hasher = requireNonNull(value, "passwordHasher");
            return this;
        }

        /**
         * Sets the password policy; the default is {@link PasswordPolicy#defaults()}.
         *
         * @param value the policy
         * @return this builder
         */
        public Builder passwordPolicy(PasswordPolicy value) {
            this.policy = requireNonNull(value, "passwordPolicy");
            return this;
        }

        /**
         * Sets the login throttle's limits; the default is {@link LoginThrottle.Settings#defaults()}.
         *
         * @param value the limits
         * @return this builder
         */
        public Builder loginThrottle(LoginThrottle.Settings value) {
            this.throttle = requireNonNull(value, "loginThrottle");
            return this;
        }

        /**
         * Checks that every required collaborator is set and builds the service.
         *
         * @return the service
         * @throws ConfigurationException naming every missing collaborator
         */
        public Accounts build() {
            List<String> problems = new ArrayList<>();
            if (users == null) {
                problems.add("users is required");
            }
            if (roleRequests == null) {
                problems.add("roleRequests is required");
            }
            if (refreshTokens == null) {
                problems.add("refreshTokens is required");
            }
            if (audit == null) {
                problems.add("auditSink is required");
            }
            if (eventBus == null) {
                problems.add("eventBus is required");
            }
            if (accessTokens == null) {
                problems.add("accessTokens is required");
            }
            if (!problems.isEmpty()) {
                throw new ConfigurationException("Accounts", problems);
            }
            return new Accounts(this);
        }
    }
}
