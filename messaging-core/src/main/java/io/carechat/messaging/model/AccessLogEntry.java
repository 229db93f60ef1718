package io.carechat.messaging.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One line of a patient's access log: who read or joined one of the patient's conversations,
 * when, and on what ground. Never carries message content. Immutable and thread-safe.
 *
 * @param sequence the audit event's sequence number, the page cursor
 * @param at when
 * @param userId who
 * @param displayName their display name, empty when the account is gone
 * @param roles their roles as recorded at the time of the access
 * @param conversationId the conversation, null for an attachment download (the event names the
 *     attachment, not its conversation)
 * @param access what they did: {@code joined}, {@code read} or {@code downloaded}
 * @param ground on what ground
 */
public record AccessLogEntry(long sequence, Instant at, UserId userId, String displayName, Set<Role> roles,
        @Nullable ConversationId conversationId, String access, AccessGround ground) {

    /** Checks the fields and copies the roles. */
    public AccessLogEntry {
        requireNonNull(at, "at");
        requireNonNull(userId, "userId");
        requireNonNull(displayName, "displayName");
        roles = Set.copyOf(requireNonNull(roles, "roles"));
        requireNonNull(access, "access");
        requireNonNull(ground, "ground");
    }
}
