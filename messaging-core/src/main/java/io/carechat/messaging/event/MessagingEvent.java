package io.carechat.messaging.event;

/**
 * Something that happened and that live sessions may need to hear of. Events are published only
 * after what they describe is committed, except {@link Resync}, which a bus publishes to its own
 * node when it may have lost events. Immutable and thread-safe.
 */
public sealed interface MessagingEvent
        permits MessageCommitted,
                ReceiptAdvanced,
                PresenceChanged,
                TypingStarted,
                RoleRequested,
                SessionsRevoked,
                Resync {}
