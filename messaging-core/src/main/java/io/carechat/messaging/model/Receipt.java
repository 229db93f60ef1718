package io.carechat.messaging.model;

import static java.util.Objects.requireNonNull;

/**
 * A member's delivered or read position, as told to the other members. Immutable and thread-safe.
 *
 * @param conversationId the conversation
 * @param userId the member whose position moved
 * @param kind delivered or read
 * @param seq the new position
 */
public record Receipt(ConversationId conversationId, UserId userId, ReceiptKind kind, long seq) {

    /** Checks the fields. */
    public Receipt {
        requireNonNull(conversationId, "conversationId");
        requireNonNull(userId, "userId");
        requireNonNull(kind, "kind");
    }
}
