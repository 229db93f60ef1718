package io.carechat.messaging.model;

/** The shape of a conversation. */
public enum ConversationKind {
    /** Exactly two users; at most one direct conversation exists per pair. */
    DIRECT,
    /** Several users, such as a care team and its patient. */
    GROUP
}
