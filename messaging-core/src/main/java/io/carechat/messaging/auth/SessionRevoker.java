package io.carechat.messaging.auth;

import io.carechat.messaging.audit.AuditRecorder;
import io.carechat.messaging.event.SessionsRevoked;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.EventBus;
import io.carechat.messaging.spi.RefreshTokenStore;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Ends all of a user's sessions, for a logout or a disabled account: revokes their refresh tokens,
 * publishes {@link SessionsRevoked} (transports close the user's sockets), then records the action,
 * failing closed; the revocation stands even when the record fails. Thread-safe. Lifecycle: made
 * with its {@link Accounts}; holds no resources.
 */
final class SessionRevoker {
    private final RefreshTokenStore refreshTokens;
    private final EventBus eventBus;
    private final AuditRecorder audit;

    SessionRevoker(RefreshTokenStore refreshTokens, EventBus eventBus, AuditRecorder audit) {
        this.refreshTokens = refreshTokens;
        this.eventBus = eventBus;
        this.audit = audit;
    }

    /**
     * Revokes the user's sessions and records it.
     *
     * @param actor who ends them: the user or an admin
     * @param userId whose sessions end
     * @param reason why, as transports tell it
     * @param action the audit action
     * @param patient the patient involved, or null
     */
    void revoke(Caller actor, UserId userId, SessionsRevoked.Reason reason, String action, @Nullable UserId patient) {
        Instant now = audit.clock().instant();
        refreshTokens.revokeAll(userId, now);
        eventBus.publish(new SessionsRevoked(userId, reason));
        audit.record(audit.event(actor, action, AuditEvent.Outcome.SUCCESS)
                .object("user", userId.value())
                .patient(patient)
                .build());
    }
}
