package io.carechat.messaging.internal;

import io.carechat.messaging.crypto.FieldCipher;
import io.carechat.messaging.crypto.FieldCipher.FieldContext;
import io.carechat.messaging.crypto.SealedText;
import io.carechat.messaging.error.BadRequestException;
import io.carechat.messaging.error.ConflictException;
import io.carechat.messaging.error.ForbiddenException;
import io.carechat.messaging.error.IntegrityException;
import io.carechat.messaging.error.NotFoundException;
import io.carechat.messaging.event.BreakGlassGranted;
import io.carechat.messaging.model.BreakGlassAccess;
import io.carechat.messaging.model.BreakGlassGrant;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AccessPolicy;
import io.carechat.messaging.spi.BreakGlassStore;
import io.carechat.messaging.spi.ConversationStore;
import io.carechat.messaging.spi.EventBus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Break-glass: a doctor who is not a member of a conversation opens it in an emergency, for a
 * limited time. The pipeline is authorize (the {@link AccessPolicy} on the stored account) ->
 * validate (the reason) -> check (the conversation exists, the caller is not a member) -> audit
 * ({@code conversation.break_glass}, reason code {@code break_glass}, with the patient) -> seal
 * the reason -> store the grant -> publish {@link BreakGlassGranted}, which tells admins and every
 * node's live sessions. Not API. Thread-safe; holds no state of its own.
 */
public final class BreakGlassService {
    /** The audit action of a grant. */
    public static final String ACTION = "conversation.break_glass";
    /** The fewest characters a reason has. */
    public static final int MIN_REASON = 10;
    /** The most characters a reason has. */
    public static final int MAX_REASON = 1_000;

    private final BreakGlassStore store;
    private final BreakGlassGrants grants;
    private final ConversationStore conversations;
    private final Membership membership;
    private final MemberDirectory directory;
    private final ActiveUsers users;
    private final AccessPolicy policy;
    private final Auditor auditor;
    private final SealedText reasons;
    private final EventBus bus;
    private final Clock clock;
    private final Duration duration;

    /**
     * Creates the service.
     *
     * @param store keeps the grants
     * @param grants remembers them for live events
     * @param conversations finds conversations and their members
     * @param membership tells members from others
     * @param directory names the members
     * @param users the caller's stored account
     * @param policy who may break the glass
     * @param auditor records grants and refusals
     * @param cipher seals the reasons
     * @param bus carries {@link BreakGlassGranted}
     * @param clock stamps grants
     * @param duration how long a grant lasts
     */
    public BreakGlassService(BreakGlassStore store, BreakGlassGrants grants, ConversationStore conversations,
            Membership membership, MemberDirectory directory, ActiveUsers users, AccessPolicy policy,
            Auditor auditor, FieldCipher cipher, EventBus bus, Clock clock, Duration duration) {
        this.store = store;
        this.grants = grants;
        this.conversations = conversations;
        this.membership = membership;
        this.directory = directory;
        this.users = users;
        this.policy = policy;
        this.auditor = auditor;
        this.reasons = new SealedText(cipher);
        this.bus = bus;
        this.clock = clock;
        this.duration = duration;
    }

    /**
     * Grants the caller access to a conversation they are not a member of.
     *
     * @param caller a doctor
     * @param conversationId the conversation
     * @param reason why, {@value #MIN_REASON} to {@value #MAX_REASON} characters after trimming
     * @return the grant and the conversation's members
     * @throws ForbiddenException if the policy does not let the caller break the glass
     * @throws BadRequestException if the reason is too short or too long
     * @throws NotFoundException if there is no such conversation
     * @throws ConflictException if the caller is a member already
     */
    public BreakGlassAccess grant(Caller caller, ConversationId conversationId, String reason) {
        User user = users.caller(caller.userId());
        if (!policy.mayBreakGlass(user)) {
            auditor.refused(caller, ACTION, Auditor.CONVERSATION, conversationId.value(), "not_allowed");
            throw new ForbiddenException("only a doctor may break the glass");
        }
        String text = reason.strip();
        int length = text.codePointCount(0, text.length());
        if (length < MIN_REASON || length > MAX_REASON) {
            throw new BadRequestException("reason must be " + MIN_REASON + " to " + MAX_REASON + " characters");
        }
        if (conversations.find(conversationId).isEmpty()) {
            auditor.denied(caller, conversationId, ACTION);
            throw NotFoundException.conversation();
        }
        if (membership.isMember(conversationId, caller.userId())) {
            throw new ConflictException("the caller is a member of this conversation already");
        }
        Instant now = clock.instant();
        BreakGlassGrant grant = new BreakGlassGrant(UUID.randomUUID().toString(), conversationId, caller.userId(),
                text, now, now.plus(duration));
        List<UserId> memberIds = membership.memberIds(conversationId);
        auditor.record(auditor.accessEvent(caller, ACTION, conversationId, memberIds));
        store.save(grant.withReason(reasons.seal(text, context(grant))));
        grants.remember(grant);
        bus.publish(new BreakGlassGranted(grant.id(), conversationId, grant.doctorId(), grant.grantedAt(),
                grant.expiresAt()));
        return new BreakGlassAccess(grant, directory.members(conversations.members(conversationId)));
    }

    /**
     * The caller's grant on a conversation that holds now, with its reason opened, and the
     * conversation's members: what a client shows again after a reload.
     *
     * @param caller the grant holder
     * @param conversationId the conversation
     * @return the grant and members, or empty when the caller holds no active grant
     * @throws IntegrityException if the stored reason was tampered with
     */
    public Optional<BreakGlassAccess> active(Caller caller, ConversationId conversationId) {
        users.caller(caller.userId());
        return grants.active(conversationId, caller.userId())
                .map(stored -> new BreakGlassAccess(stored.withReason(open(caller, stored)),
                        directory.members(conversations.members(conversationId))));
    }

    private String open(Caller caller, BreakGlassGrant stored) {
        try {
            return reasons.open(stored.reason(), context(stored));
        } catch (IntegrityException e) {
            auditor.refused(caller, "integrity.failure", "break_glass", stored.id(), "decrypt_failed");
            throw e;
        }
    }

    /**
     * A grant with its reason opened, for an admin reviewing an emergency access. Recorded as
     * {@code break_glass.review} before the reason is shown.
     *
     * @param caller an admin (judged on the stored account)
     * @param grantId the grant, as the {@code break_glass} notice names it
     * @return the grant, expired or not
     * @throws ForbiddenException if the caller is not an admin
     * @throws NotFoundException if there is no such grant
     * @throws IntegrityException if the stored reason was tampered with
     */
    public BreakGlassGrant review(Caller caller, String grantId) {
        User user = users.caller(caller.userId());
        if (!user.hasRole(Role.ADMIN)) {
            auditor.refused(caller, "break_glass.review", "break_glass", grantId, "not_admin");
            throw new ForbiddenException("only an admin may review break-glass access");
        }
        BreakGlassGrant stored = store.find(grantId).orElseThrow(() -> new NotFoundException("break-glass grant not found"));
        auditor.success(caller, "break_glass.review", "break_glass", stored.id(), auditor.patientOf(stored.conversationId()));
        return stored.withReason(open(caller, stored));
    }

    /**
     * How long a grant lasts.
     *
     * @return the duration
     */
    public Duration duration() {
        return duration;
    }

    private static FieldContext context(BreakGlassGrant grant) {
        return FieldContext.of("break_glass.reason", grant.conversationId().value(), grant.id(),
                grant.doctorId().value());
    }
}
