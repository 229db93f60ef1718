package io.carechat.messaging.spi;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.UserId;
import java.time.Instant;

/**
 * What a {@link Notifier} tells a user who is offline: how much is waiting for them, and where to
 * open it. Counts, the recipient's id and a link only; no message content, no names, no sender.
 *
 * <p>Immutable and thread-safe. {@link #toString()} is safe to log: it names the same fields.
 *
 * @param recipient the user to tell
 * @param unreadMessages how many messages are unread for them over all their conversations, at
 *     least 1
 * @param conversations in how many conversations, at least 1
 * @param urgentMessages how many of the messages that arrived for them since the last notice
 *     (or since they were last online) were sent as urgent
 * @param deepLink where the user opens CareChat: the configured base, with the conversation's id
 *     appended when exactly one conversation has unread messages
 * @param createdAt when the notice was made
 */
public record OfflineNotice(UserId recipient, long unreadMessages, int conversations, long urgentMessages,
        String deepLink, Instant createdAt) {

    /** Checks the fields. */
    public OfflineNotice {
        requireNonNull(recipient, "recipient");
        requireNonNull(deepLink, "deepLink");
        requireNonNull(createdAt, "createdAt");
        if (unreadMessages < 1 || conversations < 1 || conversations > unreadMessages) {
            throw new IllegalArgumentException("a notice is for at least one unread message in 1 to that many conversations");
        }
        if (urgentMessages < 0) {
            throw new IllegalArgumentException("urgentMessages must not be negative");
        }
    }

    @Override
    public String toString() {
        return "OfflineNotice[recipient=" + recipient.value() + ", unreadMessages=" + unreadMessages
                + ", conversations=" + conversations + ", urgentMessages=" + urgentMessages
                + ", deepLink=" + deepLink + ", createdAt=" + createdAt + "]";
    }
}
