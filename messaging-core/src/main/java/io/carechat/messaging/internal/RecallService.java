package io.carechat.messaging.internal;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.crypto.FieldCipher;
import io.carechat.messaging.crypto.FieldCipher.FieldContext;
import io.carechat.messaging.crypto.SealedText;
import io.carechat.messaging.error.BadRequestException;
import io.carechat.messaging.error.ForbiddenException;
import io.carechat.messaging.error.NotFoundException;
import io.carechat.messaging.event.MessageRecalled;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.EventBus;
import io.carechat.messaging.spi.MessageRecall;
import io.carechat.messaging.spi.MessageStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recalls messages, as one pipeline: membership (a non-member gets "not found") -> the message
 * exists -> the caller sent it -> it is inside the recall window -> the reason is checked and
 * sealed -> audit ({@code message.recall}, failing closed) -> the store keeps the recall beside the
 * original -> {@link MessageRecalled} on the bus, so every member's sockets on every node hear of
 * it. A refusal is audited with its reason code ({@code not_sender}, {@code window_passed}).
 * Recalling a recalled message again answers its tombstone and changes nothing. Not API.
 * Thread-safe; holds no state but its collaborators.
 */
public final class RecallService {
    private static final Logger LOG = LoggerFactory.getLogger(RecallService.class);
    /** The object type of a message in audit events. */
    private static final String MESSAGE = "message";
    private static final String ACTION = "message.recall";

    private final MessageStore messages;
    private final EventBus bus;
    private final Clock clock;
    private final Auditor auditor;
    private final SealedText reasons;
    private final Duration window;
    private final int maxReasonChars;

    /**
     * Creates the service.
     *
     * @param messages the message store
     * @param bus where recalls are announced
     * @param clock the time source
     * @param auditor checks membership and records recalls and refusals
     * @param cipher seals the reasons
     * @param window how long after sending a sender may recall, at least one second
     * @param maxReasonChars the longest reason, in code points
     */
    public RecallService(MessageStore messages, EventBus bus, Clock clock, Auditor auditor, FieldCipher cipher,
            Duration window, int maxReasonChars) {
        this.messages = requireNonNull(messages, "messages");
        this.bus = requireNonNull(bus, "bus");
        this.clock = requireNonNull(clock, "clock");
        this.auditor = requireNonNull(auditor, "auditor");
        this.reasons = new SealedText(requireNonNull(cipher, "cipher"));
        this.window = requireNonNull(window, "window");
        this.maxReasonChars = maxReasonChars;
    }

    /**
     * Recalls a message.
     *
     * @param caller who asks: must be the message's sender
     * @param conversationId the conversation
     * @param seq the message's place
     * @param reason why, 1 to the reason limit characters, not blank
     * @return the tombstone
     * @throws NotFoundException if the caller is not a member or there is no message at {@code seq}
     * @throws ForbiddenException if the caller did not send it, or the recall window has passed
     * @throws BadRequestException if the reason is blank or too long
     */
    public Message recall(Caller caller, ConversationId conversationId, long seq, String reason) {
        List<UserId> memberIds = auditor.requireMemberIds(caller, conversationId, ACTION);
        Message found = messages.find(conversationId, seq)
                .orElseThrow(() -> new NotFoundException("no message at that seq in this conversation"));
        if (!found.senderId().equals(caller.userId())) {
            auditor.refused(caller, ACTION, MESSAGE, found.id().value(), "not_sender");
            throw new ForbiddenException("only the sender may recall a message");
        }
        if (found.recalled()) {
            return found;
        }
        Instant now = clock.instant();
        if (now.isAfter(found.sentAt().plus(window))) {
            auditor.refused(caller, ACTION, MESSAGE, found.id().value(), "window_passed");
            throw new ForbiddenException("a message can be recalled only within " + window.toSeconds()
                    + " seconds of sending it");
        }
        checkReason(reason);
        String sealed = reasons.seal(reason, reasonContext(found));
        auditor.success(caller, ACTION, MESSAGE, found.id().value(), auditor.patientOf(conversationId));
        Message tombstone = messages.recall(new MessageRecall(conversationId, seq, found.id(), caller.userId(), now,
                sealed)).orElseThrow(() -> new NotFoundException("no message at that seq in this conversation"));
        LOG.debug("message {} recalled by its sender {}", found.id(), caller.userId());
        bus.publish(new MessageRecalled(conversationId, seq, requireNonNull(tombstone.recalledAt()), memberIds));
        return tombstone;
    }

    /**
     * The seal context of a recall's reason: bound to its conversation and message.
     *
     * @param message the recalled message
     * @return the context
     */
    static FieldContext reasonContext(Message message) {
        return FieldContext.recallReason(message.conversationId(), message.id());
    }

    private void checkReason(String reason) {
        if (reason.isBlank()) {
            throw new BadRequestException("reason must not be blank");
        }
        if (reason.codePointCount(0, reason.length()) > maxReasonChars) {
            throw new BadRequestException("reason must be at most " + maxReasonChars + " characters");
        }
    }
}
