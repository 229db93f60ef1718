package io.carechat.messaging.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A user's request for a role, and its decision. Immutable and thread-safe.
 *
 * @param id the request's id
 * @param userId who asks
 * @param role the role asked for
 * @param note the asker's note for the admins (personal data: never logged)
 * @param status pending, approved or denied
 * @param createdAt when it was asked
 * @param decidedAt when an admin decided, null while pending
 * @param decidedBy the admin who decided, null while pending
 */
public record RoleRequest(
        RoleRequestId id,
        UserId userId,
        Role role,
        String note,
        RoleRequestStatus status,
        Instant createdAt,
        @Nullable Instant decidedAt,
        @Nullable UserId decidedBy) {

    /** Checks the fields. */
    public RoleRequest {
        requireNonNull(id, "id");
        requireNonNull(userId, "userId");
        requireNonNull(role, "role");
        requireNonNull(note, "note");
        requireNonNull(status, "status");
        requireNonNull(createdAt, "createdAt");
        if ((status == RoleRequestStatus.PENDING) != (decidedAt == null)) {
            throw new IllegalArgumentException("only a decided request has decidedAt");
        }
    }

    /** Leaves out the note. */
    @Override
    public String toString() {
        return "RoleRequest[id=" + id + ", userId=" + userId + ", role=" + role + ", status="
                + status + "]";
    }
}
