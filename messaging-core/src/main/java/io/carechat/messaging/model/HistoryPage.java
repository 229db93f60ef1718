package io.carechat.messaging.model;

import java.util.List;

/**
 * One page of a conversation's history, in ascending {@code seq}. To load older messages, ask
 * again with {@code beforeSeq} set to the first message's {@code seq}. Immutable and thread-safe.
 *
 * @param messages the messages, ascending by {@code seq}
 * @param hasMore true when older messages exist before the first one
 */
public record HistoryPage(List<Message> messages, boolean hasMore) {

    /** Copies the list. */
    public HistoryPage {
        messages = List.copyOf(messages);
    }
}
