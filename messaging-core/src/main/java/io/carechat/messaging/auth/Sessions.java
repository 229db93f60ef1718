package io.carechat.messaging.auth;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.audit.AuditRecorder;
import io.carechat.messaging.error.RateLimitedException;
import io.carechat.messaging.error.UnauthenticatedException;
import io.carechat.messaging.error.UnavailableException;
import io.carechat.messaging.event.SessionsRevoked;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.User;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.RefreshTokenStore;
import io.carechat.messaging.spi.StoredCredentials;
import io.carechat.messaging.spi.StoredRefreshToken;
import io.carechat.messaging.spi.UserStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Sessions: login by username or e-mail address, refresh-token rotation, logout, and the caller's
 * own account. One of the three parts of {@link Accounts}.
 *
 * <p>Rules:
 * <ul>
 *   <li>Every failed login is one {@link UnauthenticatedException} with one message, whether the
 *       user is unknown, the password wrong or the account disabled; an unknown user costs the
 *       same password hashing as a known one. Each attempt is counted by the {@link LoginThrottle}
 *       before the password is hashed, keyed on the resolved account; one that must wait is
 *       refused with {@link RateLimitedException} without checking the password.</li>
 *   <li>A refresh token is used once: each use returns a new one. Presenting one that was already
 *       used revokes its whole family (every token descended from the same login) and is audited
 *       as {@code auth.refresh_reuse}. No family outlives
 *       {@link TokenSettings#refreshFamilyLifetime()} from its login.</li>
 *   <li>Logout refuses the user's access tokens at once, revokes all their refresh tokens and
 *       publishes {@link SessionsRevoked}, on which transports close the user's sockets. A refresh
 *       that races a logout yields no working token.</li>
 *   <li>Every step is audited, metadata only. If a login or refresh cannot be recorded, the caller
 *       gets {@link UnavailableException} and the tokens it made are revoked; a logout takes
 *       effect even then.</li>
 * </ul>
 *
 * <p>Thread-safe. Lifecycle: made by {@link Accounts.Builder#build()}; holds no resources.
 */
public final class Sessions {
    /** The message of every failed login. */
    static final String LOGIN_FAILURE = "invalid login or password";
    /** The message of every failed refresh. */
    static final String REFRESH_FAILURE = "invalid or expired refresh token";
    /** The message of a login refused by the throttle. */
    static final String THROTTLED = "too many failed logins; try again later";
    private static final int MAX_LOGIN = 320;

    private final UserStore users;
    private final RefreshTokenStore refreshTokens;
    private final AuditRecorder audit;
    private final Clock clock;
    private final AccessTokens accessTokens;
    private final PasswordHasher hasher;
    private final PasswordPolicy policy;
    private final LoginThrottle throttle;
    private final SessionRevoker revoker;
    private final Duration refreshTtl;
    private final Duration familyLifetime;
    private final OpaqueTokens opaque = new OpaqueTokens();
    private final String dummyHash;

    Sessions(UserStore users, RefreshTokenStore refreshTokens, AuditRecorder audit, AccessTokens accessTokens,
            PasswordHasher hasher, PasswordPolicy policy, LoginThrottle throttle, SessionRevoker revoker) {
        this.users = users;
        this.refreshTokens = refreshTokens;
        this.audit = audit;
        this.clock = audit.clock();
        this.accessTokens = accessTokens;
        this.hasher = hasher;
        this.policy = policy;
        this.throttle = throttle;
        this.revoker = revoker;
        this.refreshTtl = accessTokens.settings().refreshTokenTtl();
        this.familyLifetime = accessTokens.settings().refreshFamilyLifetime();
        this.dummyHash = hasher.hash(opaque.newToken());
    }

    /**
     * Logs a user in by username or e-mail address (either without regard to case).
     *
     * @param login the username or e-mail address
     * @param password the password
     * @param client where the request came from; its address is throttled
     * @return a new access token and a new refresh-token family
     * @throws UnauthenticatedException with one message for every cause
     * @throws RateLimitedException when the throttle makes this account or address wait
     * @throws io.carechat.messaging.error.ConfigurationException in external-only mode, before
     *     anything is checked or stored
     */
    public SessionTokens login(String login, String password, ClientContext client) {
        requireTokenIssuing();
        requireNonNull(login, "login");
        requireNonNull(password, "password");
        requireNonNull(client, "client");
        if (login.length() > MAX_LOGIN || password.length() > policy.maxLength() * 4) {
            throw loginFailure(client, null, "invalid_input");
        }
        Optional<StoredCredentials> found = users.findCredentials(login.strip());
        String account = found.map(credentials -> "user:" + credentials.user().id().value())
                .orElse("name:" + login.strip());
        Optional<LoginThrottle.Attempt> attempt = throttle.begin(account, client.address());
        if (attempt.isEmpty()) {
            audit.recordRefusal(failure("auth.login", client).reason("throttled").build());
            throw new RateLimitedException(THROTTLED);
        }
        if (found.isEmpty()) {
            hasher.verify(password, dummyHash);
            throw loginFailure(client, null, "unknown_user");
        }
        User user = found.get().user();
        PasswordHasher.Verification verification = hasher.verify(password, found.get().passwordHash());
        if (!verification.matches()) {
            throw loginFailure(client, user, "wrong_password");
        }
        if (!user.enabled()) {
            throw loginFailure(client, user, "disabled");
        }
        attempt.get().succeeded();
        if (verification == PasswordHasher.Verification.MATCH_REHASH_NEEDED) {
            users.setPasswordHash(user.id(), hasher.hash(password));
        }
        Instant now = clock.instant();
        String familyId = opaque.newFamilyId();
        String refresh = opaque.newToken();
        Instant familyEnd = now.plus(familyLifetime);
        Instant expiresAt = now.plus(refreshTtl).isAfter(familyEnd) ? familyEnd : now.plus(refreshTtl);
        refreshTokens.create(new StoredRefreshToken(
                OpaqueTokens.hash(refresh), familyId, user.id(), now, expiresAt, familyEnd));
        IssuedAccessToken access = accessTokens.issue(user);
        audit.recordOrUndo(client.describe(audit.event("auth.login", AuditEvent.Outcome.SUCCESS))
                        .actor(user.id(), user.roles())
                        .object("user", user.id().value())
                        .build(),
                () -> refreshTokens.revokeFamily(familyId, now));
        return tokens(access, refresh, user, now);
    }

    private UnauthenticatedException loginFailure(ClientContext client, @Nullable User user, String reason) {
        AuditEvent.Builder event = failure("auth.login", client).reason(reason);
        if (user != null) {
            event.object("user", user.id().value());
        }
        audit.recordRefusal(event.build());
        return new UnauthenticatedException(LOGIN_FAILURE);
    }

    /**
     * Uses a refresh token: returns a new access token and a new refresh token, and the one used
     * stops working. A token used a second time revokes its whole family. When a logout, disabling
     * or role change of the user ran while this refresh did (after the used token was issued), the
     * family is revoked and the refresh refused, so it yields no working token.
     *
     * @param refreshToken the refresh token
     * @param client where the request came from
     * @return the new tokens
     * @throws UnauthenticatedException with one message for every cause (unknown, used, revoked,
     *     expired or past its family's lifetime, malformed, the user disabled, or a revocation in
     *     the meantime)
     * @throws io.carechat.messaging.error.ConfigurationException in external-only mode
     */
    public SessionTokens refresh(String refreshToken, ClientContext client) {
        requireTokenIssuing();
        requireNonNull(refreshToken, "refreshToken");
        requireNonNull(client, "client");
        Instant now = clock.instant();
        if (!OpaqueTokens.isWellFormed(refreshToken)) {
            throw refreshFailure(client, null, "malformed");
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
                audit.recordRefusal(failure("auth.refresh_reuse", client)
                        .object("token_family", presented.familyId())
                        .reason("family_revoked")
                        .actor(presented.userId(), Set.of())
                        .build());
                throw new UnauthenticatedException(REFRESH_FAILURE);
            case REVOKED:
                throw refreshFailure(client, presented, "revoked");
            case EXPIRED:
                throw refreshFailure(client, presented, "expired");
            default:
                throw refreshFailure(client, null, "unknown");
        }
        requireNonNull(presented);
        Optional<User> user = users.find(presented.userId());
        if (user.isEmpty() || !user.get().enabled()) {
            refreshTokens.revokeFamily(presented.familyId(), now);
            throw refreshFailure(client, presented, "disabled");
        }
        IssuedAccessToken access = accessTokens.issue(user.get());
        if (revokedSince(presented)) {
            refreshTokens.revokeFamily(presented.familyId(), now);
            throw refreshFailure(client, presented, "revoked_meanwhile");
        }
        audit.recordOrUndo(client.describe(audit.event("auth.refresh", AuditEvent.Outcome.SUCCESS))
                        .actor(user.get().id(), user.get().roles())
                        .object("token_family", presented.familyId())
                        .build(),
                () -> refreshTokens.revokeFamily(presented.familyId(), now));
        return tokens(access, successor, user.get(), now);
    }

    /**
     * Tells whether the user's tokens were revoked after the used token was issued. Read from the
     * store after the new access token was issued: a revocation that had not moved the valid-after
     * instant by then moves it again after revoking the refresh tokens (see {@link SessionRevoker}),
     * which refuses that access token and, the rotation being committed, revokes the successor.
     */
    private boolean revokedSince(StoredRefreshToken presented) {
        return accessTokens.revocations().stored(presented.userId())
                .filter(validAfter -> validAfter.isAfter(presented.issuedAt()))
                .isPresent();
    }

    private UnauthenticatedException refreshFailure(
            ClientContext client, @Nullable StoredRefreshToken presented, String reason) {
        AuditEvent.Builder event = failure("auth.refresh", client).reason(reason);
        if (presented != null) {
            event.actor(presented.userId(), Set.of()).object("token_family", presented.familyId());
        }
        audit.recordRefusal(event.build());
        return new UnauthenticatedException(REFRESH_FAILURE);
    }

    /**
     * Logs the caller out everywhere: their access tokens are refused from now on, on every node,
     * all their refresh tokens are revoked, and their sockets closed (through
     * {@link SessionsRevoked}).
     *
     * @param caller the user
     */
    public void logout(Caller caller) {
        requireNonNull(caller, "caller");
        revoker.revoke(caller, caller.userId(), SessionsRevoked.Reason.LOGOUT, "auth.logout", null);
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

    private AuditEvent.Builder failure(String action, ClientContext client) {
        return client.describe(audit.event(action, AuditEvent.Outcome.FAILURE));
    }

    private SessionTokens tokens(IssuedAccessToken access, String refresh, User user, Instant now) {
        long expiresIn = Math.max(0, Duration.between(now, access.expiresAt()).toSeconds());
        return new SessionTokens(access.token(), refresh, access.expiresAt(), expiresIn, user);
    }

    private void requireTokenIssuing() {
        if (!accessTokens.settings().issuesTokens()) {
            throw TokenSettings.externalOnlyRefusal();
        }
    }
}
