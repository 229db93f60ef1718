package io.carechat.messaging.auth;

import io.carechat.messaging.audit.AuditRecorder;
import io.carechat.messaging.event.SessionsRevoked;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.EventBus;
import io.carechat.messaging.spi.RefreshTokenStore;
import java.time.Clock;
import org.jspecify.annotations.Nullable;

/**
 * Ends all of a user's sessions, for a logout, a disabled account or changed roles: moves the
 * user's valid-after instant to now (their access tokens are refused at once, on every node),
 * revokes their refresh tokens, moves the instant again, and publishes {@link SessionsRevoked}
 * (transports close the user's sockets; other nodes forget the instant they remembered).
 *
 * <p>The second move closes the race with a refresh in flight: a refresh that rotated its token
 * before the refresh tokens were revoked, and issued its access token before the second move,
 * has that access token refused; one that finished later sees the instant changed and gives up
 * (see {@link Sessions#refresh}).
 *
 * <p>Thread-safe. Lifecycle: made with its {@link Accounts}; holds no resources.
 */
final class SessionRevoker {
    private final RefreshTokenStore refreshTokens;
    private final TokenRevocations revocations;
    private final EventBus eventBus;
    private final AuditRecorder audit;
    private final Clock clock;

    SessionRevoker(RefreshTokenStore refreshTokens, TokenRevocations revocations, EventBus eventBus,
            AuditRecorder audit) {
        this.refreshTokens = refreshTokens;
        this.revocations = revocations;
        this.eventBus = eventBus;
        this.audit = audit;
        this.clock = audit.clock();
    }

    /**
     * Refuses the user's access tokens issued until now and revokes their refresh tokens, without
     * publishing; the caller publishes {@link SessionsRevoked} once it recorded what it did.
     *
     * @param userId whose tokens end
     */
    void revokeTokens(UserId userId) {
        revocations.revoke(userId, clock.instant());
        refreshTokens.revokeAll(userId, clock.instant());
        revocations.revoke(userId, clock.instant());
    }

    /**
     * Ends the user's sessions, publishes {@link SessionsRevoked}, then records the action, failing
     * closed; the revocation stands even when the record fails.
     *
     * @param actor who ends them: the user or an admin
     * @param userId whose sessions end
     * @param reason why, as transports tell it
     * @param action the audit action
     * @param patient the patient involved, or null
     */
    void revoke(Caller actor, UserId userId, SessionsRevoked.Reason reason, String action, @Nullable UserId patient) {
        revokeTokens(userId);
        eventBus.publish(new SessionsRevoked(userId, reason));
        audit.record(audit.event(actor, action, AuditEvent.Outcome.SUCCESS)
                .object("user", userId.value())
                .patient(patient)
                .build());
    }
}
