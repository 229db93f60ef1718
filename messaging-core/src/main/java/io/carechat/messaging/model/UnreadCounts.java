package io.carechat.messaging.model;

import java.util.Map;

/**
 * A user's unread counts: per conversation (only those with unread messages) and in total, for
 * badges. Immutable and thread-safe.
 *
 * @param total the sum over all conversations
 * @param perConversation the count per conversation that has unread messages
 */
public record UnreadCounts(long total, Map<ConversationId, Long> perConversation) {

    /** Copies the map and checks that the total is its sum. */
    public UnreadCounts {
        perConversation = Map.copyOf(perConversation);
        long sum = perConversation.values().stream().mapToLong(Long::longValue).sum();
        if (sum != total) {
            throw new IllegalArgumentException("total must be the sum of the per-conversation counts");
        }
    }

    /**
     * Sums per-conversation counts, leaving out zeros.
     *
     * @param counts the count per conversation
     * @return the unread counts
     */
    public static UnreadCounts of(Map<ConversationId, Long> counts) {
        Map<ConversationId, Long> nonZero = new java.util.HashMap<>();
        counts.forEach((id, n) -> {
            if (n > 0) {
                nonZero.put(id, n);
            }
        });
        return new UnreadCounts(nonZero.values().stream().mapToLong(Long::longValue).sum(), nonZero);
    }

    /**
     * The count for one conversation.
     *
     * @param conversationId the conversation
     * @return its unread count, 0 if none
     */
    public long of(ConversationId conversationId) {
        return perConversation.getOrDefault(conversationId, 0L);
    }
}
