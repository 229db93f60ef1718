package io.carechat.messaging.auth;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.audit.AuditRecorder;
import io.carechat.messaging.audit.RefusalAggregator;
import io.carechat.messaging.error.BadRequestException;
import io.carechat.messaging.error.ConfigurationException;
import io.carechat.messaging.error.ConflictException;
import io.carechat.messaging.error.ForbiddenException;
import io.carechat.messaging.error.NotFoundException;
import io.carechat.messaging.error.RateLimitedException;
import io.carechat.messaging.error.UnauthenticatedException;
import io.carechat.messaging.event.RoleRequested;
import io.carechat.messaging.event.SessionsRevoked;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.RoleRequest;
import io.carechat.messaging.model.RoleRequestId;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AuditSink;
import io.carechat.messaging.spi.EventBus;
import io.carechat.messaging.spi.RefreshTokenStore;
import io.carechat.messaging.spi.RoleRequestStore;
import io.carechat.messaging.spi.UserStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Accounts and sessions, in four parts along their jobs, each with its rules:
 * <ul>
 *   <li>{@link #sessions()}: login by username or e-mail address, refresh-token rotation, logout,
 *       the caller's own account;</li>
 *   <li>{@link #roleRequests()}: the role workflow (a patient asks for {@link Role#DOCTOR}, an admin
 *       approves or denies);</li>
 *   <li>{@link #userAdmin()}: registration (every new user is a {@link Role#PATIENT}), the
 *       embedding application's first admin, and user management by admins (setting roles,
 *       disabling, enabling, listing);</li>
 *   <li>{@link #directory()}: the user directory API, by which the embedding application keeps
 *       CareChat's users in step with its own directory, without passwords.</li>
 * </ul>
 * The methods here hand each call to its part, for callers that use several. Every step is
 * audited through one {@link AuditRecorder} on the configured {@link AuditSink}, metadata only.
 *
 * <p>Thread-safe. Lifecycle: build one with {@link #builder()} from explicit collaborators (the
 * facade does this from its own builder) and share it; it holds no resources to close.
 */
public final class Accounts {
    /** The message of every failed login; see {@link Sessions}. */
    static final String LOGIN_FAILURE = Sessions.LOGIN_FAILURE;
    /** The message of every failed refresh; see {@link Sessions}. */
    static final String REFRESH_FAILURE = Sessions.REFRESH_FAILURE;

    private final Sessions sessions;
    private final RoleRequests roleRequests;
    private final UserAdmin userAdmin;
    private final UserDirectory directory;

    private Accounts(Builder b) {
        UserStore users = requireNonNull(b.users);
        RefreshTokenStore refreshTokens = requireNonNull(b.refreshTokens);
        EventBus eventBus = requireNonNull(b.eventBus);
        AuditRecorder audit = new AuditRecorder(requireNonNull(b.audit), b.clock, b.refusals);
        Admins admins = new Admins(users, audit);
        AccessTokens accessTokens = requireNonNull(b.accessTokens);
        SessionRevoker revoker = new SessionRevoker(refreshTokens, accessTokens.revocations(), eventBus, audit);
        PasswordHasher hasher = b.hasher != null ? b.hasher : PasswordHasher.defaults();
        this.sessions = new Sessions(users, refreshTokens, audit, accessTokens, hasher, b.policy,
                new LoginThrottle(b.throttle, b.clock), revoker);
        this.roleRequests = new RoleRequests(users, requireNonNull(b.roleRequests), revoker, eventBus, audit,
                admins);
        this.userAdmin = new UserAdmin(users, eventBus, audit, hasher, b.policy, admins, revoker);
        this.directory = new UserDirectory(users, eventBus, audit, revoker);
    }

    /**
     * Starts wiring the account service.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Login, refresh, logout and the caller's own account.
     *
     * @return the sessions part
     */
    public Sessions sessions() {
        return sessions;
    }

    /**
     * The role workflow.
     *
     * @return the role requests part
     */
    public RoleRequests roleRequests() {
        return roleRequests;
    }

    /**
     * Registration and user management.
     *
     * @return the user administration part
     */
    public UserAdmin userAdmin() {
        return userAdmin;
    }

    /**
     * The user directory API: create, update and deactivate users from the embedding
     * application's own directory, without passwords.
     *
     * @return the directory part
     */
    public UserDirectory directory() {
        return directory;
    }

    // ---- user administration ----

    /**
     * Registers a new user, who becomes a {@link Role#PATIENT}; see {@link UserAdmin#register}.
     *
     * @param registration the new account's details
     * @param client where the request came from
     * @return the stored user
     * @throws BadRequestException if a field or the password breaks a rule
     * @throws ConflictException if the username or e-mail address is taken, in any case
     */
    public User register(Registration registration, ClientContext client) {
        return userAdmin.register(registration, client);
    }

    /**
     * Creates an admin account; see {@link UserAdmin#createAdmin}.
     *
     * @param registration the new account's details
     * @return the stored user, holding {@link Role#ADMIN}
     * @throws BadRequestException if a field or the password breaks a rule
     * @throws ConflictException if the username or e-mail address is taken
     */
    public User createAdmin(Registration registration) {
        return userAdmin.createAdmin(registration);
    }

    /**
     * Replaces a user's roles; see {@link UserAdmin#setRoles}.
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
        return userAdmin.setRoles(admin, userId, roles);
    }

    /**
     * Disables a user and ends their sessions; see {@link UserAdmin#disable}.
     *
     * @param admin an admin
     * @param userId the user
     * @return the user afterwards
     * @throws ForbiddenException if the caller is not an enabled admin
     * @throws BadRequestException if an admin tries to disable themselves
     * @throws NotFoundException if there is no such user
     */
    public User disable(Caller admin, UserId userId) {
        return userAdmin.disable(admin, userId);
    }

    /**
     * Enables a disabled user again; see {@link UserAdmin#enable}.
     *
     * @param admin an admin
     * @param userId the user
     * @return the user afterwards
     * @throws ForbiddenException if the caller is not an enabled admin
     * @throws NotFoundException if there is no such user
     */
    public User enable(Caller admin, UserId userId) {
        return userAdmin.enable(admin, userId);
    }

    /**
     * Lists users a page at a time; see {@link UserAdmin#listUsers}.
     *
     * @param admin an admin
     * @param afterUsername start after this username, or null for the first page
     * @param limit the page size, 1 to 500
     * @return the users
     * @throws ForbiddenException if the caller is not an enabled admin
     */
    public List<User> listUsers(Caller admin, @Nullable String afterUsername, int limit) {
        return userAdmin.listUsers(admin, afterUsername, limit);
    }

    // ---- sessions ----

    /**
     * Logs a user in; see {@link Sessions#login}.
     *
     * @param login the username or e-mail address
     * @param password the password
     * @param client where the request came from; its address is throttled
     * @return a new access token and a new refresh-token family
     * @throws UnauthenticatedException with one message for every cause
     * @throws RateLimitedException after too many recent failures for this login or address
     */
    public SessionTokens login(String login, String password, ClientContext client) {
        return sessions.login(login, password, client);
    }

    /**
     * Uses a refresh token once; see {@link Sessions#refresh}.
     *
     * @param refreshToken the refresh token
     * @param client where the request came from
     * @return the new tokens
     * @throws UnauthenticatedException with one message for every cause
     */
    public SessionTokens refresh(String refreshToken, ClientContext client) {
        return sessions.refresh(refreshToken, client);
    }

    /**
     * Logs the caller out everywhere, publishing {@link SessionsRevoked}; see {@link Sessions#logout}.
     *
     * @param caller the user
     */
    public void logout(Caller caller) {
        sessions.logout(caller);
    }

    /**
     * The caller's own account, as stored; see {@link Sessions#me}.
     *
     * @param caller the user
     * @return the user
     * @throws UnauthenticatedException if the account no longer exists or is disabled
     */
    public User me(Caller caller) {
        return sessions.me(caller);
    }

    // ---- the role workflow ----

    /**
     * A patient asks for the {@link Role#DOCTOR} role, published as {@link RoleRequested}; see
     * {@link RoleRequests#requestRole}.
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
        return roleRequests.requestRole(caller, role, note);
    }

    /**
     * Pending role requests, oldest first; see {@link RoleRequests#pendingRoleRequests}.
     *
     * @param admin an admin
     * @param limit the most to return, 1 to 500
     * @return the requests
     * @throws ForbiddenException if the caller is not an enabled admin
     */
    public List<RoleRequest> pendingRoleRequests(Caller admin, int limit) {
        return roleRequests.pendingRoleRequests(admin, limit);
    }

    /**
     * Approves a pending request; see {@link RoleRequests#approve}.
     *
     * @param admin an admin
     * @param id the request
     * @return the decided request
     * @throws ForbiddenException if the caller is not an enabled admin
     * @throws NotFoundException if there is no such request
     * @throws ConflictException if it was already decided
     */
    public RoleRequest approve(Caller admin, RoleRequestId id) {
        return roleRequests.approve(admin, id);
    }

    /**
     * Denies a pending request; see {@link RoleRequests#deny}.
     *
     * @param admin an admin
     * @param id the request
     * @return the decided request
     * @throws ForbiddenException if the caller is not an enabled admin
     * @throws NotFoundException if there is no such request
     * @throws ConflictException if it was already decided
     */
    public RoleRequest deny(Caller admin, RoleRequestId id) {
        return roleRequests.deny(admin, id);
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
        private @Nullable PasswordHasher hasher;
        private PasswordPolicy policy = PasswordPolicy.defaults();
        private LoginThrottle.Settings throttle = LoginThrottle.Settings.defaults();
        private @Nullable RefusalAggregator refusals;

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
         * Sets the access-token service, whose settings also give the refresh-token lifetimes.
         * Required, and it must track revocations (made with
         * {@link AccessTokens#create(TokenSettings, AuditSink, Clock, TokenRevocations)} and
         * {@link TokenRevocations#create}), since logout and account changes refuse tokens through
         * it.
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
         * Sets the password hasher; the default is {@link PasswordHasher#defaults()}
         * (Argon2id, which needs BouncyCastle); {@link PasswordHasher#pbkdf2()} needs only the JDK.
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
         * Aggregates identical refusals (throttled logins, failed logins of one name from one
         * address) into one event per window with a count; by default each is its own event.
         *
         * @param value the aggregator, writing to the audit sink set here
         * @return this builder
         */
        public Builder refusalAggregator(RefusalAggregator value) {
            this.refusals = requireNonNull(value, "refusalAggregator");
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
            } else if (!accessTokens.revocations().isTracking()) {
                problems.add("accessTokens must track revocations (TokenRevocations.create)");
            }
            if (!problems.isEmpty()) {
                throw new ConfigurationException("Accounts", problems);
            }
            return new Accounts(this);
        }
    }
}
