package io.carechat.messaging.model;

/**
 * What a user may do. A user holds one or more roles; everyone who registers is a {@link #PATIENT},
 * and only an admin grants {@link #DOCTOR} or {@link #ADMIN}.
 */
public enum Role {
    /** Manages accounts and reads the audit trail; sees no conversation it is not a member of. */
    ADMIN,
    /** Messages patients and other doctors. */
    DOCTOR,
    /** Messages doctors. */
    PATIENT
}
