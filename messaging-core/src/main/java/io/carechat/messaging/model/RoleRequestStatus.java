package io.carechat.messaging.model;

/** Where a role request stands. Only a {@link #PENDING} request can be decided. */
public enum RoleRequestStatus {
    /** Waiting for an admin. */
    PENDING,
    /** Granted: the user now holds the role. */
    APPROVED,
    /** Refused. */
    DENIED
}
