package io.carechat.messaging.event;

/**
 * The event bus may have lost events, so live sessions must catch up from the store. A bus that
 * crosses processes publishes it to its local subscribers when its link to the other nodes comes
 * back after an outage (notifications sent while it was down are gone), or after it had to drop
 * events under load. It is never sent to other nodes: each node's bus decides for itself.
 *
 * <p>The hub answers it by pushing each live session, again, every message after its member's
 * {@code deliveredSeq} in each of their conversations (as the backlog after {@code ready}): what
 * the client already holds comes again with the same {@code seq}, and clients drop such copies.
 * Receipts, typing, presence and notices lost in the outage are not made up; the next
 * {@code conversations} or {@code ready} has the exact numbers.
 *
 * <p>Immutable and thread-safe; every instance equals every other.
 */
public record Resync() implements MessagingEvent {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.visitResync(this);
    }
}
