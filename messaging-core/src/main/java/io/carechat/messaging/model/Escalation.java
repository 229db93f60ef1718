package io.carechat.messaging.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The escalation of one urgent message a patient sent: when it comes due and, once handled, how it
 * ended. Stored with the message, in the same transaction, so it survives a restart. Immutable and
 * thread-safe.
 *
 * @param conversationId the conversation
 * @param seq the urgent message's {@code seq}
 * @param senderId the patient who sent it
 * @param dueAt when it escalates unless a doctor member read it before
 * @param outcome how it ended, or null while it is pending
 */
public record Escalation(ConversationId conversationId, long seq, UserId senderId, Instant dueAt,
        @Nullable EscalationOutcome outcome) {

    /** Checks the fields. */
    public Escalation {
        requireNonNull(conversationId, "conversationId");
        requireNonNull(senderId, "senderId");
        requireNonNull(dueAt, "dueAt");
        if (seq < 1) {
            throw new IllegalArgumentException("seq starts at 1");
        }
    }

    /**
     * Tells whether it is still to be handled.
     *
     * @return true while there is no outcome
     */
    public boolean pending() {
        return outcome == null;
    }
}
