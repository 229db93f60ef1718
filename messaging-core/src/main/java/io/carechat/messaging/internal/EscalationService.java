package io.carechat.messaging.internal;

import io.carechat.messaging.error.BadRequestException;
import io.carechat.messaging.error.ForbiddenException;
import io.carechat.messaging.event.ConversationEscalated;
import io.carechat.messaging.event.MembersChanged;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.ConversationMember;
import io.carechat.messaging.model.Escalation;
import io.carechat.messaging.metrics.MessagingMetrics;
import io.carechat.messaging.model.EscalationOutcome;
import io.carechat.messaging.model.MemberState;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.ConversationStore;
import io.carechat.messaging.spi.EscalationStore;
import io.carechat.messaging.spi.EventBus;
import io.carechat.messaging.spi.UserStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Urgent escalation to the on-call roster. When a patient (a sender without the doctor role) sends
 * an urgent message, {@link #dueFor} gives the time the store keeps with the message. A scan
 * ({@link #escalateDue()}, run on a timer on every node) reads the due escalations and claims
 * each; only the claim's winner handles it: when a doctor member read the message (a read position
 * at or past its {@code seq}) it ends as read in time; when no enabled doctor is on call it is
 * recorded ({@code conversation.escalation_unanswered}) and ends; otherwise every on-call doctor
 * is recorded ({@code conversation.escalated}, reason code {@code escalation}, the patient named),
 * then the store ends it and adds those not yet members in one transaction, and after that commit
 * the bus carries {@link MembersChanged} for each added doctor and one {@link ConversationEscalated}
 * for the notices. A claim lasts for a lease: a node that dies while handling one leaves it to be
 * claimed again once the lease ends, and the store adds no one twice. Not API. Thread-safe; holds
 * no state of its own. Lifecycle: made by {@code Messaging}, whose timer runs {@link #escalateDue()}
 * until the facade closes.
 */
public final class EscalationService {
    /** The audit action of an on-call doctor told of, and added by, an escalation. */
    public static final String ACTION = "conversation.escalated";
    /** The audit action of an escalation that came due while nobody was on call. */
    public static final String UNANSWERED = "conversation.escalation_unanswered";
    /** The audit action of a change of the roster. */
    public static final String ROSTER_UPDATE = "on_call.update";
    /** How many due escalations one pass of a scan reads. */
    static final int PAGE = 100;

    private static final Logger LOG = LoggerFactory.getLogger(EscalationService.class);
    private static final String JOB = "escalation_job";

    private final EscalationStore store;
    private final ConversationStore conversations;
    private final UserStore userStore;
    private final ActiveUsers users;
    private final UserRoles roles;
    private final Membership membership;
    private final MemberDirectory directory;
    private final Auditor auditor;
    private final EventBus bus;
    private final Clock clock;
    private final String claimant;
    private final @Nullable Duration delay;
    private final Duration lease;
    private final MessagingMetrics metrics;

    /**
     * Creates the service.
     *
     * @param store the roster and the escalations
     * @param conversations the members and their read positions
     * @param userStore the on-call doctors' stored accounts
     * @param users the caller's stored account
     * @param roles the senders' stored roles
     * @param membership forgets remembered members after an escalation added some
     * @param directory names the members for {@link MembersChanged}
     * @param auditor records escalations and roster changes
     * @param bus carries {@link MembersChanged} and {@link ConversationEscalated}
     * @param clock stamps due times and claims
     * @param claimant this node's id, as claims carry it
     * @param delay how long an urgent message waits for a doctor member to read it, or null when
     *     this node schedules no escalations
     * @param lease how long a claim holds before another node may take it over
     * @param metrics where each ended escalation is counted by outcome
     */
    public EscalationService(EscalationStore store, ConversationStore conversations, UserStore userStore,
            ActiveUsers users, UserRoles roles, Membership membership, MemberDirectory directory, Auditor auditor,
            EventBus bus, Clock clock, String claimant, @Nullable Duration delay, Duration lease,
            MessagingMetrics metrics) {
        this.store = store;
        this.conversations = conversations;
        this.userStore = userStore;
        this.users = users;
        this.roles = roles;
        this.membership = membership;
        this.directory = directory;
        this.auditor = auditor;
        this.bus = bus;
        this.clock = clock;
        this.claimant = claimant;
        this.delay = delay;
        this.lease = lease;
        this.metrics = metrics;
    }

    /**
     * When a new message escalates: for an urgent message of a sender who holds the patient role
     * and not the doctor role (stored roles), its sent time plus the delay.
     *
     * @param senderId the sender
     * @param priority the message's priority
     * @param sentAt its sent time
     * @return the due time, or null when it does not escalate (or escalation is off here)
     */
    public @Nullable Instant dueFor(UserId senderId, Priority priority, Instant sentAt) {
        if (delay == null || priority != Priority.URGENT) {
            return null;
        }
        List<UserId> sender = List.of(senderId);
        if (!roles.holding(sender, Role.DOCTOR).isEmpty() || roles.holding(sender, Role.PATIENT).isEmpty()) {
            return null;
        }
        return sentAt.plus(delay);
    }

    /**
     * Handles every escalation due now that this node can claim, a page at a time.
     *
     * @return how many it handled (ended, whatever the outcome)
     */
    public int escalateDue() {
        int handled = 0;
        while (true) {
            Instant now = clock.instant();
            List<Escalation> due = store.due(now, PAGE);
            int claimed = 0;
            for (Escalation e : due) {
                if (store.claim(e.conversationId(), e.seq(), claimant, now, now.plus(lease))) {
                    claimed++;
                    if (handle(e)) {
                        handled++;
                    }
                }
            }
            if (due.size() < PAGE || claimed == 0) {
                return handled;
            }
        }
    }

    /** Handles one claimed escalation; false when the claim was lost before it ended. */
    private boolean handle(Escalation e) {
        ConversationId conversationId = e.conversationId();
        List<MemberState> members = conversations.members(conversationId);
        List<UserId> memberIds = members.stream().map(MemberState::userId).toList();
        Set<UserId> doctorMembers = new HashSet<>(roles.holding(memberIds, Role.DOCTOR));
        boolean read = members.stream().anyMatch(m -> doctorMembers.contains(m.userId()) && m.readSeq() >= e.seq());
        if (read) {
            return ended(EscalationOutcome.READ_IN_TIME, store.complete(conversationId, e.seq(), claimant,
                    EscalationOutcome.READ_IN_TIME, List.of(), clock.instant()).isPresent());
        }
        List<User> onCall = onCallDoctors();
        if (onCall.isEmpty()) {
            auditor.record(AuditEvent.builder(clock.instant(), UNANSWERED, AuditEvent.Outcome.FAILURE)
                    .client(null, JOB, null)
                    .object(Auditor.CONVERSATION, conversationId.value())
                    .patient(e.senderId())
                    .reason("nobody_on_call")
                    .build());
            LOG.warn("an urgent message came due for escalation while nobody was on call");
            return ended(EscalationOutcome.NOBODY_ON_CALL, store.complete(conversationId, e.seq(), claimant,
                    EscalationOutcome.NOBODY_ON_CALL, List.of(), clock.instant()).isPresent());
        }
        for (User doctor : onCall) {
            auditor.record(AuditEvent.builder(clock.instant(), ACTION, AuditEvent.Outcome.SUCCESS)
                    .actor(doctor.id(), doctor.roles())
                    .client(null, JOB, null)
                    .object(Auditor.CONVERSATION, conversationId.value())
                    .patient(e.senderId())
                    .reason(AccessLogService.ESCALATION)
                    .build());
        }
        List<UserId> doctorIds = onCall.stream().map(User::id).toList();
        Optional<List<UserId>> added = store.complete(conversationId, e.seq(), claimant, EscalationOutcome.ESCALATED,
                doctorIds, clock.instant());
        if (added.isEmpty()) {
            return false;
        }
        if (!added.get().isEmpty()) {
            membership.forget(conversationId);
            List<ConversationMember> now = directory.members(conversations.members(conversationId));
            for (UserId doctor : added.get()) {
                bus.publish(new MembersChanged(conversationId, doctor, MembersChanged.Change.ADDED, now));
            }
        }
        bus.publish(new ConversationEscalated(conversationId, e.seq(), doctorIds));
        return ended(EscalationOutcome.ESCALATED, true);
    }

    /** Counts an escalation that ended with an outcome, when this node ended it. */
    private boolean ended(EscalationOutcome outcome, boolean endedHere) {
        if (endedHere) {
            metrics.escalationEnded(outcome.name().toLowerCase(java.util.Locale.ROOT));
        }
        return endedHere;
    }

    /** The roster's enabled doctors, in roster order, judged on their stored accounts. */
    private List<User> onCallDoctors() {
        List<UserId> roster = store.onCall();
        if (roster.isEmpty()) {
            return List.of();
        }
        Map<UserId, User> found = userStore.findAll(roster).stream()
                .collect(Collectors.toMap(User::id, Function.identity(), (a, b) -> a));
        List<User> doctors = new ArrayList<>();
        for (UserId id : roster) {
            User user = found.get(id);
            if (user != null && user.enabled() && user.hasRole(Role.DOCTOR)) {
                doctors.add(user);
            }
        }
        return doctors;
    }

    /**
     * The on-call roster, for an admin.
     *
     * @param caller an admin (judged on the stored account)
     * @return the doctors on call, in roster order
     * @throws ForbiddenException if the caller is not an admin
     */
    public List<UserId> onCall(Caller caller) {
        requireAdmin(caller, "on_call.read");
        return store.onCall();
    }

    /**
     * Replaces the on-call roster. Recorded as {@value #ROSTER_UPDATE} before it is stored.
     *
     * @param caller an admin (judged on the stored account)
     * @param doctorIds the doctors, distinct, at most {@value EscalationStore#MAX_ON_CALL}; empty for nobody
     * @return the roster now
     * @throws ForbiddenException if the caller is not an admin
     * @throws BadRequestException if an id repeats, there are too many, or one is not an enabled doctor
     */
    public List<UserId> replaceOnCall(Caller caller, List<UserId> doctorIds) {
        requireAdmin(caller, ROSTER_UPDATE);
        List<UserId> ids = List.copyOf(doctorIds);
        if (ids.size() > EscalationStore.MAX_ON_CALL) {
            throw new BadRequestException("userIds holds at most " + EscalationStore.MAX_ON_CALL + " doctors");
        }
        if (new HashSet<>(ids).size() != ids.size()) {
            throw new BadRequestException("userIds must not repeat a user");
        }
        Set<UserId> doctors = userStore.findAll(ids).stream()
                .filter(u -> u.enabled() && u.hasRole(Role.DOCTOR))
                .map(User::id)
                .collect(Collectors.toSet());
        if (!doctors.containsAll(ids)) {
            auditor.refused(caller, ROSTER_UPDATE, "on_call", "roster", "not_a_doctor");
            throw new BadRequestException("every user on call must be an enabled doctor");
        }
        auditor.success(caller, ROSTER_UPDATE, "on_call", "roster", null);
        store.replaceOnCall(ids);
        return ids;
    }

    /**
     * The {@code seq} of each message of a conversation that escalated, for a member (or a
     * break-glass holder) marking them.
     *
     * @param caller a member
     * @param conversationId the conversation
     * @return the {@code seq} values, ascending, at most 1,000
     * @throws io.carechat.messaging.error.NotFoundException if the caller is not a member
     */
    public List<Long> escalatedSeqs(Caller caller, ConversationId conversationId) {
        auditor.requireMemberIds(caller, conversationId, "conversation.escalations");
        return store.escalated(conversationId, 1_000).stream().map(Escalation::seq).toList();
    }

    /**
     * How long an urgent message waits, or null when this node schedules no escalations.
     *
     * @return the delay
     */
    public @Nullable Duration delay() {
        return delay;
    }

    private void requireAdmin(Caller caller, String action) {
        User user = users.caller(caller.userId());
        if (!user.hasRole(Role.ADMIN)) {
            auditor.refused(caller, action, "on_call", "roster", "not_admin");
            throw new ForbiddenException("only an admin may manage the on-call roster");
        }
    }
}
