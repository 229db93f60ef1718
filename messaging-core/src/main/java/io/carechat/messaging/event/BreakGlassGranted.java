package io.carechat.messaging.event;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.UserId;
import java.time.Instant;

/**
 * A doctor broke the glass on a conversation they are not a member of. Every node learns of the
 * grant, so that its live sessions address the conversation's frames to the doctor until the
 * grant expires, and admins' sessions get a {@code notice} of kind {@code break_glass}. Carries
 * ids and times only, never the reason.
 *
 * @param grantId the grant
 * @param conversationId the conversation opened
 * @param doctorId the doctor
 * @param grantedAt when access began
 * @param expiresAt when it ends
 */
public record BreakGlassGranted(String grantId, ConversationId conversationId, UserId doctorId, Instant grantedAt,
        Instant expiresAt) implements MessagingEvent {

    /** Checks the fields. */
    public BreakGlassGranted {
        requireNonNull(grantId, "grantId");
        requireNonNull(conversationId, "conversationId");
        requireNonNull(doctorId, "doctorId");
        requireNonNull(grantedAt, "grantedAt");
        requireNonNull(expiresAt, "expiresAt");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.visitBreakGlassGranted(this);
    }
}
