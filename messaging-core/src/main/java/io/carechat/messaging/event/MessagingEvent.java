package io.carechat.messaging.event;

/**
 * Something that happened and that live sessions may need to hear of. Events are published only
 * after what they describe is committed. Immutable and thread-safe.
 */
public sealed interface MessagingEvent
        permits MessageCommitted,
                ReceiptAdvanced,
                PresenceChanged,
                TypingStarted,
                RoleRequested,
                SessionsRevoked {}
