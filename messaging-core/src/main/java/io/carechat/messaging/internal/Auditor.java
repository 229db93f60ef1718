package io.carechat.messaging.internal;

import io.carechat.messaging.audit.AuditRecorder;
import io.carechat.messaging.error.NotFoundException;
import io.carechat.messaging.error.UnavailableException;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.MemberState;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.AuditSink;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Writes the audit events of the messaging operations, metadata only, after FHIR AuditEvent / IHE
 * BALP: time, action, outcome, the caller's id, roles, address and request id, the object, and the
 * patient involved (the conversation's member holding the patient role). Not API. Thread-safe.
 *
 * <p>Every event goes through the {@link AuditRecorder}. Fails closed: {@link #access} throws
 * {@link UnavailableException} when the sink fails, before the audited data is returned or the
 * audited change is made. A refusal is recorded with {@link #refused}, which never turns the
 * refusal into another error.
 */
public final class Auditor {
    /** The object type of a conversation. */
    public static final String CONVERSATION = "conversation";
    /** The object type of one user's membership of a group: {@code <conversationId>/<userId>}. */
    public static final String CONVERSATION_MEMBER = "conversation_member";

    /**
     * The reason code of an access by a holder of a break-glass grant who is not a member: the
     * ground the patient's access log shows.
     */
    public static final String BREAK_GLASS = "break_glass";

    /**
     * The actions a break-glass grant allows a non-member through the membership checks here:
     * reading history and sending; downloads ask {@link #holdsBreakGlass} themselves.
     */
    private static final Set<String> GRANTED_ACTIONS = Set.of("message.read", "message.send", "typing");

    private final AuditRecorder recorder;
    private final Membership membership;
    private final UserRoles roles;
    private final BreakGlassGrants breakGlass;

    /**
     * Creates the auditor.
     *
     * @param recorder keeps the events
     * @param membership finds a conversation's members
     * @param roles finds the members' roles
     * @param breakGlass lets holders of an active break-glass grant read and send as members do
     */
    public Auditor(AuditRecorder recorder, Membership membership, UserRoles roles, BreakGlassGrants breakGlass) {
        this.recorder = recorder;
        this.membership = membership;
        this.roles = roles;
        this.breakGlass = breakGlass;
    }

    /**
     * The sink events go to, for a store that keeps an event in the same transaction as the
     * change it records.
     *
     * @return the sink
     */
    public AuditSink sink() {
        return recorder.sink();
    }

    /**
     * Checks membership; a failed check is recorded as an authorization failure, then thrown.
     *
     * @param caller who asks
     * @param conversationId the conversation
     * @param action what the caller tried, such as {@code message.read}
     * @return the caller's state in the conversation; for a holder of an active break-glass grant
     *     who is not a member (allowed {@code message.read} and {@code typing}), a state with
     *     nothing delivered or read
     * @throws NotFoundException if the caller is not a member
     */
    public MemberState requireMember(Caller caller, ConversationId conversationId, String action) {
        try {
            return membership.require(conversationId, caller.userId());
        } catch (NotFoundException e) {
            if (GRANTED_ACTIONS.contains(action) && breakGlass.holds(conversationId, caller.userId())) {
                return new MemberState(conversationId, caller.userId(), 0, 0, 0);
            }
            denied(caller, conversationId, action);
            throw e;
        }
    }

    /**
     * Checks membership against the remembered member list; a failed check is recorded as an
     * authorization failure, then thrown.
     *
     * @param caller who asks
     * @param conversationId the conversation
     * @param action what the caller tried, such as {@code message.send}
     * @return the conversation's members, in member order (without the caller when they act on an
     *     active break-glass grant, allowed {@code message.send})
     * @throws NotFoundException if the caller is not a member
     */
    public List<UserId> requireMemberIds(Caller caller, ConversationId conversationId, String action) {
        try {
            return membership.requireMemberIds(conversationId, caller.userId());
        } catch (NotFoundException e) {
            if (GRANTED_ACTIONS.contains(action) && breakGlass.holds(conversationId, caller.userId())) {
                return membership.memberIds(conversationId);
            }
            denied(caller, conversationId, action);
            throw e;
        }
    }

    /**
     * Records that a caller was refused an action in a conversation they are not a member of
     * (found out by the store, for example, after the check here passed).
     *
     * @param caller who asked
     * @param conversationId the conversation
     * @param action what the caller tried, such as {@code message.send}
     */
    public void denied(Caller caller, ConversationId conversationId, String action) {
        refused(caller, "authz.denied", CONVERSATION, conversationId.value(), action.replace('.', '_'));
    }

    /**
     * Records a successful access to a conversation's data, with the patient involved.
     *
     * @param caller who acted
     * @param action what was done
     * @param conversationId the conversation
     * @throws UnavailableException if the event cannot be recorded; the action must not happen
     */
    public void access(Caller caller, String action, ConversationId conversationId) {
        record(accessEvent(caller, action, conversationId, membership.memberIds(conversationId)));
    }

    /**
     * The event of a successful access to a conversation's data, not yet recorded: for a store
     * that records it in the same transaction as the change. A caller who is not among the
     * members passed the membership check on a break-glass grant: the event carries the reason
     * {@link #BREAK_GLASS}.
     *
     * @param caller who acted
     * @param action what was done
     * @param conversationId the conversation
     * @param memberIds its members, to find the patient involved
     * @return the event
     */
    public AuditEvent accessEvent(Caller caller, String action, ConversationId conversationId,
            List<UserId> memberIds) {
        return recorder.event(caller, action, AuditEvent.Outcome.SUCCESS)
                .object(CONVERSATION, conversationId.value())
                .patient(patientAmong(memberIds))
                .reason(memberIds.contains(caller.userId()) ? null : BREAK_GLASS)
                .build();
    }

    /**
     * Records a successful action on any object.
     *
     * @param caller who acted
     * @param action what was done
     * @param objectType the kind of object
     * @param objectId its id
     * @param patient the patient involved, or null
     * @throws UnavailableException if the event cannot be recorded; the action must not happen
     */
    public void success(Caller caller, String action, String objectType, String objectId, @Nullable UserId patient) {
        recorder.record(recorder.event(caller, action, AuditEvent.Outcome.SUCCESS)
                .object(objectType, objectId)
                .patient(patient)
                .build());
    }

    /**
     * Records a change of a group's members, failing closed: the object is the membership,
     * {@code conversation_member} with the id {@code <conversationId>/<userId>}, so the trail says
     * who added or removed whom in which group; the patient involved is the patient among
     * {@code involved} (the members and the one added or removed).
     *
     * @param caller who made the change
     * @param action {@code conversation.member.add} or {@code conversation.member.remove}
     * @param conversationId the group
     * @param member the member added or removed
     * @param involved the group's members with the one added or removed
     * @param reason a detail as a code, such as {@code created} for a founding member, or null
     * @throws UnavailableException if the event cannot be recorded; the change must not happen
     */
    public void memberChange(Caller caller, String action, ConversationId conversationId, UserId member,
            List<UserId> involved, @Nullable String reason) {
        recorder.record(recorder.event(caller, action, AuditEvent.Outcome.SUCCESS)
                .object(CONVERSATION_MEMBER, conversationId.value() + "/" + member.value())
                .patient(patientAmong(involved))
                .reason(reason)
                .build());
    }

    /**
     * Records a successful action on any object with a reason code, such as {@link #BREAK_GLASS}
     * for an access on a break-glass grant.
     *
     * @param caller who acted
     * @param action what was done
     * @param objectType the kind of object
     * @param objectId its id
     * @param patient the patient involved, or null
     * @param reason the reason code, or null
     * @throws UnavailableException if the event cannot be recorded; the action must not happen
     */
    public void success(Caller caller, String action, String objectType, String objectId, @Nullable UserId patient,
            @Nullable String reason) {
        recorder.record(recorder.event(caller, action, AuditEvent.Outcome.SUCCESS)
                .object(objectType, objectId)
                .patient(patient)
                .reason(reason)
                .build());
    }


    /**
     * Tells whether a user who is not a member holds an active break-glass grant on a conversation,
     * read from the store: for reads that check membership themselves, such as downloads.
     *
     * @param conversationId the conversation
     * @param userId the user
     * @return true while the grant lasts
     */
    public boolean holdsBreakGlass(ConversationId conversationId, UserId userId) {
        return breakGlass.holds(conversationId, userId);
    }

    /**
     * Records a refusal or failure; a failure to record is logged, and the refusal stands.
     *
     * @param caller who acted, or null for a job
     * @param action what was tried
     * @param objectType the kind of object
     * @param objectId its id
     * @param reason why, as a code
     */
    public void refused(@Nullable Caller caller, String action, String objectType, String objectId, String reason) {
        AuditEvent.Builder event = caller == null ? recorder.event(action, AuditEvent.Outcome.FAILURE)
                : recorder.event(caller, action, AuditEvent.Outcome.FAILURE);
        recorder.recordRefusal(event.object(objectType, objectId).reason(reason).build());
    }

    /**
     * Records an event built elsewhere, failing closed.
     *
     * @param event the event
     * @throws UnavailableException if it cannot be recorded
     */
    public void record(AuditEvent event) {
        recorder.record(event);
    }

    /**
     * The time events are stamped with.
     *
     * @return the clock
     */
    public Clock clock() {
        return recorder.clock();
    }

    /**
     * The patient member of a conversation, if one holds the patient role.
     *
     * @param conversationId the conversation
     * @return the patient, or null
     */
    public @Nullable UserId patientOf(ConversationId conversationId) {
        return patientAmong(membership.memberIds(conversationId));
    }

    private @Nullable UserId patientAmong(List<UserId> memberIds) {
        return roles.holding(memberIds, Role.PATIENT).stream()
                .min((a, b) -> a.value().compareTo(b.value()))
                .orElse(null);
    }
}
