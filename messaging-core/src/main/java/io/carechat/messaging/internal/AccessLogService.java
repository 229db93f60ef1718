package io.carechat.messaging.internal;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.error.BadRequestException;
import io.carechat.messaging.error.ForbiddenException;
import io.carechat.messaging.model.AccessGround;
import io.carechat.messaging.model.AccessLogEntry;
import io.carechat.messaging.model.AccessLogPage;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AccessPolicy;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.AuditRecord;
import io.carechat.messaging.spi.AuditSink;
import io.carechat.messaging.spi.AuditTrail;
import io.carechat.messaging.spi.UserStore;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * A patient's access log, their accounting of disclosures: who read or joined the patient's
 * conversations, when and on what ground, built from the audit trail (events whose patient is the
 * caller and whose actor is someone else). Metadata only: names and roles of the readers, never
 * message content. Which audit actions count, and how they map to a ground, is
 * {@link #ACCESS_OF}. Not API. Thread-safe; holds no state of its own.
 */
public final class AccessLogService {
    /**
     * The audit actions that count as an access, and what each was. A read's ground is
     * {@code break_glass} when its event carries that reason (a grant holder who is not a member),
     * {@code escalation} when it carries {@code escalation}, else {@code member}.
     * {@code conversation.break_glass} is the grant itself; {@code conversation.escalated} is an
     * on-call doctor added by an urgent escalation.
     */
    static final Map<String, String> ACCESS_OF = Map.of(
            "conversation.open", "joined",
            "message.read", "read",
            "attachment.download", "downloaded",
            BreakGlassService.ACTION, "joined",
            "conversation.escalated", "joined");

    /** The reason code that marks an access as part of an escalation. */
    static final String ESCALATION = "escalation";

    private final @Nullable AuditTrail trail;
    private final ActiveUsers users;
    private final UserStore userStore;
    private final AccessPolicy policy;
    private final Auditor auditor;
    private final int maxLimit;

    /**
     * Creates the service.
     *
     * @param sink the audit sink; the log needs an {@link AuditTrail}
     * @param users the caller's stored account
     * @param userStore names the readers
     * @param policy who may read an access log
     * @param auditor records the reading of the log
     * @param maxLimit the largest page
     */
    public AccessLogService(AuditSink sink, ActiveUsers users, UserStore userStore, AccessPolicy policy,
            Auditor auditor, int maxLimit) {
        this.trail = sink instanceof AuditTrail t ? t : null;
        this.users = users;
        this.userStore = userStore;
        this.policy = policy;
        this.auditor = auditor;
        this.maxLimit = maxLimit;
    }

    /**
     * A page of the caller's access log, newest first. Recorded as {@code access_log.read}.
     *
     * @param caller a patient
     * @param before the cursor from the previous page, or null for the newest
     * @param limit the page size, 1 to the configured maximum, or null for the smaller of 50 and it
     * @return the page
     * @throws ForbiddenException if the policy does not let the caller read an access log
     * @throws BadRequestException if the limit or cursor is out of range
     * @throws IllegalStateException if the audit sink is not an {@link AuditTrail}
     */
    public AccessLogPage page(Caller caller, @Nullable Long before, @Nullable Integer limit) {
        User user = users.caller(caller.userId());
        if (!policy.mayReadAccessLog(user)) {
            auditor.refused(caller, "access_log.read", "user", caller.userId().value(), "not_allowed");
            throw new ForbiddenException("only a patient may read their access log");
        }
        int size = limit == null ? Math.min(50, maxLimit) : limit;
        if (size < 1 || size > maxLimit) {
            throw new BadRequestException("limit must be 1 to " + maxLimit);
        }
        if (before != null && before < 1) {
            throw new BadRequestException("before must be at least 1");
        }
        if (trail == null) {
            throw new IllegalStateException("the access log needs an AuditTrail as the audit sink");
        }
        auditor.success(caller, "access_log.read", "user", caller.userId().value(), caller.userId());
        List<AuditRecord> records = trail.patientAccesses(caller.userId(), ACCESS_OF.keySet(), before, size + 1);
        boolean more = records.size() > size;
        List<AuditRecord> shown = more ? records.subList(0, size) : records;
        Set<UserId> actors = new LinkedHashSet<>();
        for (AuditRecord r : shown) {
            UserId actor = r.event().actorId();
            if (actor != null) {
                actors.add(actor);
            }
        }
        Map<UserId, User> names = userStore.findAll(actors).stream()
                .collect(Collectors.toMap(User::id, Function.identity(), (a, b) -> a));
        List<AccessLogEntry> entries = shown.stream().map(r -> entry(r, names)).toList();
        return new AccessLogPage(entries, more ? shown.get(shown.size() - 1).sequence() : null);
    }

    private static AccessLogEntry entry(AuditRecord record, Map<UserId, User> users) {
        AuditEvent e = record.event();
        UserId actor = requireNonNull(e.actorId(), "the trail returns accesses by an actor");
        User user = users.get(actor);
        String objectId = e.objectId();
        ConversationId conversation = Auditor.CONVERSATION.equals(e.objectType()) && objectId != null
                ? ConversationId.of(objectId) : null;
        return new AccessLogEntry(record.sequence(), e.time(), actor, user == null ? "" : user.displayName(),
                e.actorRoles(), conversation, requireNonNull(ACCESS_OF.get(e.action()), "action"), ground(e));
    }

    /**
     * The ground of an access, from its audit event.
     *
     * @param e the event
     * @return the ground
     */
    static AccessGround ground(AuditEvent e) {
        if (BreakGlassService.ACTION.equals(e.action()) || Auditor.BREAK_GLASS.equals(e.reason())) {
            return AccessGround.BREAK_GLASS;
        }
        if ("conversation.escalated".equals(e.action()) || ESCALATION.equals(e.reason())) {
            return AccessGround.ESCALATION;
        }
        return AccessGround.MEMBER;
    }
}
