package io.carechat.messaging.model;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A conversation in the caller's list, with every member's name, roles and positions: what a
 * client needs to show the list and its delivered and read marks after a reload. Immutable and
 * thread-safe.
 *
 * @param summary the conversation, its last {@code seq} and the caller's own position
 * @param members every member (the caller too), in the conversation's member order
 */
public record ConversationOverview(ConversationSummary summary, List<ConversationMember> members) {

    /** Checks the fields and copies the list. */
    public ConversationOverview {
        requireNonNull(summary, "summary");
        members = List.copyOf(members);
    }

    /**
     * The conversation.
     *
     * @return the conversation and its member ids
     */
    public Conversation conversation() {
        return summary.conversation();
    }
}
