package io.carechat.messaging.spi;

import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.Escalation;
import io.carechat.messaging.model.EscalationOutcome;
import io.carechat.messaging.model.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Keeps the on-call roster and the escalations of patients' urgent messages, so that an urgent
 * message no doctor read in time reaches the doctors on call once, whatever node is up and however
 * often nodes restart: the state is stored, never held in per-node timers.
 *
 * <p>An escalation is written by the {@link MessageStore} of the same storage, in the append's own
 * transaction, for a new message whose {@link NewMessage#escalateAt()} is set; a repeated
 * {@code clientMsgId} writes nothing. Every node's scan reads the {@linkplain #due due} ones and
 * {@linkplain #claim claims} each before handling it; a claim is a conditional write that exactly
 * one claimant wins, and it lasts for a lease, after which another claimant may take over an
 * escalation whose handler died. {@link #complete} ends it in one transaction with the on-call
 * doctors' memberships, and only for the claimant that still holds the claim.
 *
 * <p>Implementations are thread-safe; the kit's {@code EscalationStoreContract} checks them.
 * Reference implementations: the {@code InMemoryStorage}'s store and the JDBC adapter's
 * {@code JdbcStorage.escalations()}. Lifecycle: part of a {@link MessagingStorage}, which makes it
 * and whose {@link MessagingStorage#escalations()} returns the same instance every time.
 */
public interface EscalationStore {

    /** The most doctors on call at once. */
    int MAX_ON_CALL = 50;

    /**
     * The doctors on call, in the order they were set.
     *
     * @return the roster, empty when nobody is on call
     */
    List<UserId> onCall();

    /**
     * Replaces the roster. The caller has checked that every id is a doctor.
     *
     * @param doctorIds the doctors, distinct, at most {@value #MAX_ON_CALL}; empty for nobody
     * @throws IllegalArgumentException if there are repeats or too many
     */
    void replaceOnCall(List<UserId> doctorIds);

    /**
     * Pending escalations due at {@code now} that nobody holds a claim on (or whose claim's lease
     * has ended), earliest due first.
     *
     * @param now the instant judged
     * @param limit the most to return, 1 to 1,000
     * @return the escalations
     */
    List<Escalation> due(Instant now, int limit);

    /**
     * Claims a due escalation for a while: succeeds for exactly one of any number of concurrent
     * claimants, on any node, and fails while another claimant's lease lasts or once it ended.
     *
     * @param conversationId the conversation
     * @param seq the urgent message
     * @param claimant who claims, such as a node id (1 to 64 characters)
     * @param now the instant judged
     * @param leaseUntil until when the claim holds, after {@code now}
     * @return true if this call took the claim
     */
    boolean claim(ConversationId conversationId, long seq, String claimant, Instant now, Instant leaseUntil);

    /**
     * Ends a claimed escalation in one transaction: records the outcome and makes each of
     * {@code addMembers} who is not a member yet a member of the conversation, from the urgent
     * message on ({@code joinedSeq} is the message's {@code seq} minus one, delivered and read
     * there, the message and those after it unread). Nothing is written unless {@code claimant}
     * still holds the claim (its lease may have ended, as long as no other claimant took over).
     *
     * @param conversationId the conversation
     * @param seq the urgent message
     * @param claimant the claimant that took the claim
     * @param outcome how it ended
     * @param addMembers the doctors to add, usually the roster; empty unless
     *     {@link EscalationOutcome#ESCALATED}
     * @param now when they join
     * @return the doctors it added (those already members left out), or empty when the claim was
     *     lost or the escalation is ended already
     */
    Optional<List<UserId>> complete(ConversationId conversationId, long seq, String claimant,
            EscalationOutcome outcome, List<UserId> addMembers, Instant now);

    /**
     * One escalation, pending or ended.
     *
     * @param conversationId the conversation
     * @param seq the urgent message
     * @return it, or empty when the message was not one to escalate
     */
    Optional<Escalation> find(ConversationId conversationId, long seq);

    /**
     * The escalations of a conversation that ended {@link EscalationOutcome#ESCALATED}, by
     * {@code seq}: what a client marks.
     *
     * @param conversationId the conversation
     * @param limit the most to return, 1 to 1,000
     * @return the escalations, lowest {@code seq} first
     */
    List<Escalation> escalated(ConversationId conversationId, int limit);
}
