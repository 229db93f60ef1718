package io.carechat.messaging.model;

/**
 * How the escalation of a patient's urgent message ended. Immutable and thread-safe.
 */
public enum EscalationOutcome {
    /** No doctor member read it in time: the on-call doctors were told and added. */
    ESCALATED,
    /** A doctor member read it before the escalation came due: nothing was done. */
    READ_IN_TIME,
    /** It came due while nobody (no doctor) was on call: recorded, and not tried again. */
    NOBODY_ON_CALL
}
