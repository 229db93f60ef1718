package io.carechat.messaging.auth;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.audit.AuditRecorder;
import io.carechat.messaging.error.BadRequestException;
import io.carechat.messaging.error.ConflictException;
import io.carechat.messaging.error.ForbiddenException;
import io.carechat.messaging.error.NotFoundException;
import io.carechat.messaging.error.UnavailableException;
import io.carechat.messaging.event.RoleRequested;
import io.carechat.messaging.event.SessionsRevoked;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.RoleRequest;
import io.carechat.messaging.model.RoleRequestId;
import io.carechat.messaging.model.RoleRequestStatus;
import io.carechat.messaging.model.User;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.EventBus;
import io.carechat.messaging.spi.RoleRequestStore;
import io.carechat.messaging.spi.UserStore;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The role workflow: a patient asks for {@link Role#DOCTOR}, an admin approves or denies. One of
 * the three parts of {@link Accounts}.
 *
 * <p>Admin operations check the caller against the store (an enabled user holding
 * {@link Role#ADMIN}), not only the token. Every step is audited, metadata only, after the change
 * is stored and before anything is returned or published; if recording fails the caller gets
 * {@link UnavailableException}, a new request is withdrawn and a granted role taken back.
 *
 * <p>Thread-safe. Lifecycle: made by {@link Accounts.Builder#build()}; holds no resources.
 */
public final class RoleRequests {
    private static final int MAX_NOTE = 1_000;

    private final UserStore users;
    private final RoleRequestStore roleRequests;
    private final SessionRevoker revoker;
    private final EventBus eventBus;
    private final AuditRecorder audit;
    private final Admins admins;

    RoleRequests(UserStore users, RoleRequestStore roleRequests, SessionRevoker revoker, EventBus eventBus,
            AuditRecorder audit, Admins admins) {
        this.users = users;
        this.roleRequests = roleRequests;
        this.revoker = revoker;
        this.eventBus = eventBus;
        this.audit = audit;
        this.admins = admins;
    }

    /**
     * A patient asks for the {@link Role#DOCTOR} role, with a note for the admins. Admins' live
     * sessions hear of it at once through {@link RoleRequested}.
     *
     * @param caller the patient
     * @param role the role asked for; only {@link Role#DOCTOR}
     * @param note what the admins should know (up to 1,000 characters)
     * @return the pending request
     * @throws BadRequestException for another role or an over-long note
     * @throws ForbiddenException if the caller is not an enabled patient
     * @throws ConflictException if the caller already holds the role or has a pending request
     */
    public RoleRequest requestRole(Caller caller, Role role, String note) {
        requireNonNull(caller, "caller");
        requireNonNull(role, "role");
        requireNonNull(note, "note");
        Instant now = audit.clock().instant();
        String cleanNote = note.strip();
        if (role != Role.DOCTOR) {
            throw new BadRequestException("only the DOCTOR role can be requested");
        }
        if (cleanNote.length() > MAX_NOTE
                || cleanNote.codePoints().anyMatch(cp -> Character.isISOControl(cp) && cp != '\n')) {
            throw new BadRequestException("note must be at most 1000 characters without control characters");
        }
        User user = users.find(caller.userId()).filter(User::enabled).orElse(null);
        if (user == null || !user.hasRole(Role.PATIENT)) {
            audit.recordRefusal(audit.event(caller, "role.request", AuditEvent.Outcome.FAILURE)
                    .reason("not_patient").build());
            throw new ForbiddenException("only a patient can request a role");
        }
        if (user.hasRole(role)) {
            throw new ConflictException("the role is already held");
        }
        RoleRequest request = roleRequests.create(new RoleRequest(RoleRequestId.random(), user.id(), role, cleanNote,
                RoleRequestStatus.PENDING, now, null, null));
        audit.recordOrUndo(audit.event(caller, "role.request", AuditEvent.Outcome.SUCCESS)
                        .object("role_request", request.id().value())
                        .patient(user.id())
                        .build(),
                () -> roleRequests.decide(request.id(), RoleRequestStatus.DENIED, user.id(), now));
        eventBus.publish(new RoleRequested(request));
        return request;
    }

    /**
     * Pending role requests, oldest first.
     *
     * @param admin an admin
     * @param limit the most to return, 1 to 500
     * @return the requests
     * @throws ForbiddenException if the caller is not an enabled admin
     */
    public List<RoleRequest> pendingRoleRequests(Caller admin, int limit) {
        admins.require(admin, "role.list");
        Admins.checkLimit(limit);
        List<RoleRequest> pending = roleRequests.pending(limit);
        audit.record(audit.event(admin, "role.list", AuditEvent.Outcome.SUCCESS).build());
        return pending;
    }

    /**
     * Approves a pending request: the user gains the role, their tokens are revoked and their
     * sockets closed, so their next login carries the new role.
     *
     * @param admin an admin
     * @param id the request
     * @return the decided request
     * @throws ForbiddenException if the caller is not an enabled admin
     * @throws NotFoundException if there is no such request
     * @throws ConflictException if it was already decided
     */
    public RoleRequest approve(Caller admin, RoleRequestId id) {
        requireNonNull(id, "id");
        admins.require(admin, "role.approve");
        Instant now = audit.clock().instant();
        RoleRequest decided = roleRequests.decide(id, RoleRequestStatus.APPROVED, admin.userId(), now);
        User before = users.find(decided.userId()).orElseThrow(() -> new NotFoundException("no such user"));
        Set<Role> roles = EnumSet.copyOf(before.roles());
        roles.add(decided.role());
        users.setRoles(before.id(), roles);
        revoker.revokeTokens(before.id());
        audit.recordOrUndo(audit.event(admin, "role.approve", AuditEvent.Outcome.SUCCESS)
                        .object("role_request", id.value())
                        .patient(Admins.patientOf(before))
                        .build(),
                () -> users.setRoles(before.id(), before.roles()));
        eventBus.publish(new SessionsRevoked(before.id(), SessionsRevoked.Reason.ROLES_CHANGED));
        return decided;
    }

    /**
     * Denies a pending request. The user's roles stay as they were.
     *
     * @param admin an admin
     * @param id the request
     * @return the decided request
     * @throws ForbiddenException if the caller is not an enabled admin
     * @throws NotFoundException if there is no such request
     * @throws ConflictException if it was already decided
     */
    public RoleRequest deny(Caller admin, RoleRequestId id) {
        requireNonNull(id, "id");
        admins.require(admin, "role.deny");
        Instant now = audit.clock().instant();
        RoleRequest decided = roleRequests.decide(id, RoleRequestStatus.DENIED, admin.userId(), now);
        audit.record(audit.event(admin, "role.deny", AuditEvent.Outcome.SUCCESS)
                .object("role_request", id.value())
                .patient(decided.userId())
                .build());
        return decided;
    }
}
