package io.carechat.messaging.spi;

/**
 * Tells a user who is offline that something arrived for them, through a channel outside
 * CareChat: a push service (APNs, FCM), e-mail, a pager. The facade calls it, when configured with
 * {@code Messaging.builder().notifier(...)}, for a user who had no live socket on any node when a
 * message reached one of their conversations, once the configured delay has passed, if they are
 * still offline and still have unread messages; at most once per quiet period, with everything
 * that arrived meanwhile in one {@link OfflineNotice}.
 *
 * <p>The notice carries counts, the recipient's id and a deep link only: never message content,
 * names or who sent what. An implementation must not add them (it would have to fetch them, and
 * the channels it speaks to are not where protected health information belongs).
 *
 * <p>Implementations must be thread-safe. {@link #deliver} runs on the executor the application
 * gave the builder, never on a send or transport thread. It may block for a bounded time (a
 * network call with a timeout); one that throws is logged (exception type only) and counted, and
 * messaging goes on. A call that hangs holds only its executor's thread: the facade keeps at most
 * a bounded number of calls in flight and counts notices beyond them as failed.
 *
 * <p>Lifecycle: the application creates it, hands it to the builder, and closes whatever it holds
 * after closing the facade and shutting down the executor.
 */
@FunctionalInterface
public interface Notifier {

    /**
     * Passes a notice on to the user's channel.
     *
     * @param notice what to tell the user: counts and a deep link
     */
    void deliver(OfflineNotice notice);
}
