package io.carechat.messaging.websocket.client;

import io.carechat.messaging.protocol.MessageView;
import io.carechat.messaging.protocol.ServerFrame;

/**
 * Receives what a {@link CareChatClient} hears from the server, one method per server frame of
 * the contract, plus the connection's own events. Every method does nothing by default; override
 * the ones you need.
 *
 * <p>Calls come one at a time, in the order the frames arrived, on the client's event thread
 * (never on the network thread); a slow listener delays later calls but not the connection. An
 * exception thrown by a listener is logged (its type only) and does not stop later calls.
 */
public interface CareChatListener {

    /**
     * The session is authenticated; sent on every (re)connect, before the backlog.
     *
     * @param ready the frame
     */
    default void onReady(ServerFrame.Ready ready) {}

    /**
     * A session came back after the connection was lost; follows {@link #onReady}.
     *
     * @param ready the frame of the new session
     */
    default void onReconnected(ServerFrame.Ready ready) {}

    /**
     * A message arrived, live or from the backlog. The client acknowledges it as delivered as
     * soon as it also holds every earlier message of the conversation.
     *
     * @param message the message
     */
    default void onMessage(MessageView message) {}

    /**
     * The server stored a message this client sent.
     *
     * @param sent the frame
     */
    default void onSent(ServerFrame.Sent sent) {}

    /**
     * Another member's delivered or read position rose.
     *
     * @param receipt the frame
     */
    default void onReceipt(ServerFrame.Receipt receipt) {}

    /**
     * The user's unread counts changed after they read, on any of their devices.
     *
     * @param unread the frame
     */
    default void onUnread(ServerFrame.Unread unread) {}

    /**
     * The reply to {@code open}.
     *
     * @param conversation the frame
     */
    default void onConversation(ServerFrame.Conversation conversation) {}

    /**
     * The reply to {@code history}.
     *
     * @param history the frame
     */
    default void onHistory(ServerFrame.History history) {}

    /**
     * The reply to {@code conversations}.
     *
     * @param conversations the frame
     */
    default void onConversations(ServerFrame.Conversations conversations) {}

    /**
     * The reply to {@code contacts}.
     *
     * @param contacts the frame
     */
    default void onContacts(ServerFrame.Contacts contacts) {}

    /**
     * Another member is typing.
     *
     * @param typing the frame
     */
    default void onTyping(ServerFrame.Typing typing) {}

    /**
     * A group's members changed; the frame lists them as they are now (a removed member finds
     * themselves missing from it).
     *
     * @param members the frame
     */
    default void onMembers(ServerFrame.Members members) {}

    /**
     * A visible user's availability changed.
     *
     * @param presence the frame
     */
    default void onPresence(ServerFrame.Presence presence) {}

    /**
     * For admins: a new role request.
     *
     * @param notice the frame
     */
    default void onNotice(ServerFrame.Notice notice) {}

    /**
     * For admins: a doctor broke the glass on a conversation they are not a member of.
     *
     * @param notice the frame
     */
    default void onBreakGlassNotice(ServerFrame.BreakGlassNotice notice) {}

    /**
     * For an on-call doctor: a patient's urgent message that no doctor member read in time
     * escalated, and the doctor is a member of its conversation now.
     *
     * @param notice the frame
     */
    default void onEscalationNotice(ServerFrame.EscalationNotice notice) {}

    /**
     * A request without a reply of its own succeeded.
     *
     * @param ok the frame
     */
    default void onOk(ServerFrame.Ok ok) {}

    /**
     * The reply to {@code ping}.
     *
     * @param pong the frame
     */
    default void onPong(ServerFrame.Pong pong) {}

    /**
     * A request failed; the session stays open.
     *
     * @param error the frame
     */
    default void onError(ServerFrame.Error error) {}

    /**
     * A member recalled a message: show it as recalled in place.
     *
     * @param recalled the frame
     */
    default void onRecalled(ServerFrame.Recalled recalled) {}

    /**
     * The connection is gone, or could not be made. Unless the client was closed or reconnection
     * is off, it reconnects after a backoff (the longest one after 1008 {@code too_many_sockets}),
     * with a new token from its supplier. Close the client here to stop, for instance after 4401
     * {@code logged_out}.
     *
     * @param code the WebSocket close code (1006 when there was no close frame)
     * @param reason the close reason, such as {@code token_expired}; empty when none
     */
    default void onDisconnected(int code, String reason) {}
}
