package io.carechat.messaging.event;

/**
 * Something that happened and that live sessions may need to hear of. Events are published only
 * after what they describe is committed, except {@link Resync}, which a bus publishes to its own
 * node when it may have lost events. Immutable and thread-safe.
 *
 * <p>The set of events is closed. Code that handles every kind dispatches through
 * {@link #accept(Visitor)}, so a new kind that some handler forgets fails to compile instead of
 * being dropped at run time.
 */
public sealed interface MessagingEvent
        permits MessageCommitted,
                ReceiptAdvanced,
                PresenceChanged,
                TypingStarted,
                RoleRequested,
                SessionsRevoked,
                Resync,
                MembersChanged, MessageRecalled, BreakGlassGranted, ConversationEscalated {

    /**
     * Calls the visitor's method for this kind of event.
     *
     * @param visitor the handler
     * @param <R> what the visitor returns
     * @return what the visitor returned
     */
    <R> R accept(Visitor<R> visitor);

    /**
     * One method per kind of event, for code that must handle every kind: implementing it is how
     * the compiler checks that none is forgotten. Thread-safety is the implementation's.
     *
     * @param <R> what each method returns ({@link Void} for none)
     */
    interface Visitor<R> {
        /**
         * Handles a committed message.
         *
         * @param event the event
         * @return the visitor's result
         */
        R visitMessageCommitted(MessageCommitted event);

        /**
         * Handles a receipt that advanced.
         *
         * @param event the event
         * @return the visitor's result
         */
        R visitReceiptAdvanced(ReceiptAdvanced event);

        /**
         * Handles a change of presence.
         *
         * @param event the event
         * @return the visitor's result
         */
        R visitPresenceChanged(PresenceChanged event);

        /**
         * Handles a member typing.
         *
         * @param event the event
         * @return the visitor's result
         */
        R visitTypingStarted(TypingStarted event);

        /**
         * Handles a role request.
         *
         * @param event the event
         * @return the visitor's result
         */
        R visitRoleRequested(RoleRequested event);

        /**
         * Handles revoked sessions.
         *
         * @param event the event
         * @return the visitor's result
         */
        R visitSessionsRevoked(SessionsRevoked event);

        /**
         * Handles a resync.
         *
         * @param event the event
         * @return the visitor's result
         */
        R visitResync(Resync event);

        /**
         * Handles a change of a group's members.
         *
         * @param event the event
         * @return the visitor's result
         */
        R visitMembersChanged(MembersChanged event);

        /**
         * Handles a recalled message.
         *
         * @param event the event
         * @return the visitor's result
         */
        R visitMessageRecalled(MessageRecalled event);

        /**
         * Handles a break-glass grant.
         *
         * @param event the event
         * @return the visitor's result
         */
        R visitBreakGlassGranted(BreakGlassGranted event);

        /**
         * Handles an urgent message's escalation to the on-call doctors.
         *
         * @param event the event
         * @return the visitor's result
         */
        R visitConversationEscalated(ConversationEscalated event);
    }
}
