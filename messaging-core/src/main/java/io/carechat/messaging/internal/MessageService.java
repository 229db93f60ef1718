package io.carechat.messaging.internal;

import io.carechat.messaging.error.BadRequestException;
import io.carechat.messaging.error.ConflictException;
import io.carechat.messaging.error.NotFoundException;
import io.carechat.messaging.error.UnavailableException;
import io.carechat.messaging.event.MessageCommitted;
import io.carechat.messaging.model.AttachmentRef;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.HistoryPage;
import io.carechat.messaging.model.MemberState;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.MessageId;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.model.MessagingLimits;
import io.carechat.messaging.model.SendRequest;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AppendResult;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.EventBus;
import io.carechat.messaging.spi.MessageStore;
import io.carechat.messaging.spi.NewMessage;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends messages (membership, validation, idempotency, publication after commit) and reads them
 * back (history, backlog). A committed message goes on the bus by its ids; the opened message
 * waits in {@link SentMessages} for the facade to hand it to its subscribers. Not API. Thread-safe.
 */
public final class MessageService {
    private static final Logger LOG = LoggerFactory.getLogger(MessageService.class);

    private final MessageStore messages;
    private final SendValidator validator;
    private final EventBus bus;
    private final Clock clock;
    private final MessagingLimits limits;
    private final Auditor auditor;
    private final MessageCipher cipher;
    private final AttachmentService attachments;
    private final SentMessages sent;
    private final Membership membership;
    private final OfflineNotifications offline;
    private final EscalationService escalations;

    /**
     * Creates the service.
     *
     * @param messages the message store
     * @param bus where committed messages go
     * @param clock the time source
     * @param limits the limits
     * @param auditor records every send and read
     * @param cipher seals bodies before the store and opens them after
     * @param attachments resolves the attachments a message refers to
     * @param sent holds each committed message until its event comes back from the bus
     * @param membership the members a committed message is addressed to, read again when a group's
     *     members changed while the send waited for its commit
     * @param offline told, after each commit, whom a message reached, for offline notifications
     * @param escalations when a patient's urgent message escalates, kept by the store with it
     */
    public MessageService(MessageStore messages, EventBus bus, Clock clock, MessagingLimits limits,
            Auditor auditor, MessageCipher cipher, AttachmentService attachments, SentMessages sent,
            Membership membership, OfflineNotifications offline, EscalationService escalations) {
        this.messages = messages;
        this.validator = new SendValidator(limits);
        this.bus = bus;
        this.clock = clock;
        this.limits = limits;
        this.auditor = auditor;
        this.cipher = cipher;
        this.attachments = attachments;
        this.sent = sent;
        this.membership = membership;
        this.offline = offline;
        this.escalations = escalations;
    }

    /**
     * Sends a message, or returns the original for a repeated {@code clientMsgId}.
     *
     * <p>Membership is checked against the remembered member list, then again by the store inside
     * the append. The {@code message.send} audit event goes to the store with the message, which
     * keeps it exactly when it accepts the append (in the same transaction when the store also
     * holds the audit trail), so a message is never stored unaudited. The answer waits for the
     * bus's confirmation that every node will hear of a new message (at once but for a bus across
     * processes that confirms by its broker; bounded by the bus).
     *
     * @param caller the sender
     * @param request what to send
     * @return the stored message
     */
    public Message send(Caller caller, SendRequest request) {
        PreparedSend send = prepare(caller, request);
        AppendResult result;
        try {
            result = messages.append(send.sealed(), send.event(), auditor.sink());
        } catch (RuntimeException e) {
            throw failed(caller, send, e);
        }
        if (result.created()) {
            linkAttachments(send);
            awaitConfirmed(publish(send, result));
        }
        Answer answer = answer(caller, request, send, result);
        awaitConfirmed(answer.announced());
        return answer.message();
    }

    /**
     * Sends a message without waiting for the store: the checks run now and throw as in
     * {@link #send}; the append joins the store's next batch, and once it is durable the rest
     * (the answer) runs on {@code completions}. A new message without attachments is published
     * at once where the store reports its commit, not on {@code completions}: a caller's queue that
     * is busy (waiting for storage on a later request) must not hold its message back from the
     * members while the same conversation's later messages reach them, nor lose it when it is
     * shut down. One with attachments is published on {@code completions}, once they are linked,
     * so members can download them as soon as they see it. Either way the answer waits for the
     * bus's confirmation ({@link EventBus#publishConfirmed}) that every node will hear of the
     * message, and is {@link UnavailableException} when the bus cannot give it: the message is
     * stored, and the sender's retry with the same {@code clientMsgId} announces it again.
     *
     * @param caller the sender
     * @param request what to send
     * @param completions runs the work after the commit; tasks for one caller keep their order if
     *     it runs them in order
     * @return the stored message, or the failure {@link #send} would throw
     */
    public CompletableFuture<Message> sendAsync(Caller caller, SendRequest request, Executor completions) {
        PreparedSend send = prepare(caller, request);
        boolean linkFirst = !send.plain().attachments().isEmpty();
        return messages.appendAsync(send.sealed(), send.event(), auditor.sink())
                .thenCompose(result -> {
                    if (!result.created()) {
                        return CompletableFuture.completedFuture(result);
                    }
                    CompletableFuture<Void> published = linkFirst
                            ? CompletableFuture.runAsync(() -> linkAttachments(send), completions)
                                    .thenCompose(linked -> publish(send, result))
                            : publish(send, result);
                    return published.thenApply(confirmed -> result);
                })
                .handleAsync((result, failure) -> {
                    if (failure != null) {
                        throw failed(caller, send, failure instanceof CompletionException && failure.getCause() != null
                                ? failure.getCause() : failure);
                    }
                    return answer(caller, request, send, result);
                }, completions)
                .thenCompose(answer -> answer.announced().isDone()
                        ? answer.announced().thenApply(confirmed -> answer.message())
                        : answer.announced().thenApplyAsync(confirmed -> answer.message(), completions));
    }

    /** A send checked and sealed, ready for the store. */
    private record PreparedSend(NewMessage plain, NewMessage sealed, AuditEvent event, List<UserId> memberIds,
            long membershipChanges) {}

    private PreparedSend prepare(Caller caller, SendRequest request) {
        UserId senderId = caller.userId();
        ConversationId conversationId = request.conversationId();
        long membershipChanges = membership.changes();
        List<UserId> memberIds = auditor.requireMemberIds(caller, conversationId, "message.send");
        validator.check(request);
        List<AttachmentRef> refs = attachments.resolve(senderId, request.attachments());
        NewMessage plain = new NewMessage(MessageId.timeOrdered(), conversationId, senderId, request.clientMsgId(),
                request.body(), request.priority(), refs, clock.instant());
        if (request.priority() == Priority.URGENT) {
            plain = plain.escalatingAt(escalations.dueFor(senderId, Priority.URGENT, plain.sentAt()));
        }
        return new PreparedSend(plain, cipher.seal(plain),
                auditor.accessEvent(caller, "message.send", conversationId, memberIds), memberIds,
                membershipChanges);
    }

    /** The failure of an append as the caller sees it; a refusal by the store is audited. */
    private RuntimeException failed(Caller caller, PreparedSend send, Throwable failure) {
        if (failure instanceof NotFoundException) {
            auditor.denied(caller, send.plain().conversationId(), "message.send");
        }
        if (failure instanceof RuntimeException runtime) {
            return runtime;
        }
        return new UnavailableException("storage failed", failure);
    }

    /**
     * Holds a new message for its event and publishes it; call once, when it was created.
     *
     * @return completes when the bus confirms that every node will hear of it; fails with
     *     {@link UnavailableException} when it cannot
     */
    private CompletableFuture<Void> publish(PreparedSend send, AppendResult result) {
        Message message = withContent(result.message(), send.plain());
        sent.hold(message);
        // A member removed while this send waited for its commit must not get it: read the members again.
        List<UserId> recipients = membership.changes() == send.membershipChanges()
                ? send.memberIds()
                : membership.memberIds(message.conversationId());
        CompletableFuture<Void> confirmed = confirmed(message.id(), bus.publishConfirmed(
                MessageCommitted.of(message.id(), message.conversationId(), message.seq(), recipients)));
        offline.arrived(message, recipients);
        return confirmed;
    }

    /**
     * What the caller is answered, and the bus's confirmation the answer waits for: done at once
     * but for a repeat whose message this facade announces again.
     */
    private record Answer(Message message, CompletableFuture<Void> announced) {}

    /**
     * The caller's answer once its append is stored: the new message (already published), or for a
     * repeated {@code clientMsgId} the original, after linking its attachments again, announced
     * again when this facade did not announce it lately.
     */
    private Answer answer(Caller caller, SendRequest request, PreparedSend send, AppendResult result) {
        UserId senderId = caller.userId();
        if (!result.created()) {
            if (result.message().recalled() || messages.find(result.message().conversationId(), result.message().seq())
                    .map(Message::recalled).orElse(false)) {
                throw new ConflictException("clientMsgId was used for a message that was since recalled");
            }
            Message original = cipher.open(caller, result.message());
            if (!sameContent(original, request)) {
                LOG.debug("clientMsgId of {} reused by {} for other content", original.id(), senderId);
                throw new ConflictException("clientMsgId was already used for another message");
            }
            LOG.debug("repeat of message {} by {} answered with the original", original.id(), senderId);
            linkAttachments(send);
            return new Answer(original, sent.announced(original.id())
                    ? CompletableFuture.completedFuture(null) : announceAgain(original));
        }
        Message message = withContent(result.message(), send.plain());
        LOG.debug("message {} committed as seq {} in {} by {}",
                message.id(), message.seq(), message.conversationId(), senderId);
        return new Answer(message, CompletableFuture.completedFuture(null));
    }

    /**
     * Publishes a repeated message that this facade did not announce lately. The first attempt may
     * have committed without being announced (its commit's answer was lost and could not be
     * settled, the bus could not confirm it, or the node that took it died), and then its members
     * would have it only from their next catch-up; sockets that have it drop the copy by seq.
     */
    private CompletableFuture<Void> announceAgain(Message original) {
        sent.hold(original);
        return confirmed(original.id(), bus.publishConfirmed(MessageCommitted.of(original.id(),
                original.conversationId(), original.seq(), membership.memberIds(original.conversationId()))));
    }

    /**
     * The bus's confirmation of a message's event. When it fails, the message is stored but other
     * nodes may not hear of it: the facade forgets that it announced it, so that the sender's
     * retry announces it again, and the sender is told to retry.
     */
    private CompletableFuture<Void> confirmed(MessageId id, CompletionStage<Void> confirmation) {
        return confirmation.toCompletableFuture().handle((done, failure) -> {
            if (failure != null) {
                sent.forget(id);
                LOG.warn("message {} is stored, but the event bus did not confirm it for the other nodes ({});"
                        + " its sender is told to retry", id, failure.getClass().getName());
                throw new UnavailableException("the message is stored, but the other nodes could not be told of it"
                        + " yet; send it again with the same clientMsgId", failure);
            }
            return null;
        });
    }

    /** Waits for a confirmation (the bus bounds how long), rethrowing its failure as it is. */
    private static void awaitConfirmed(CompletableFuture<Void> confirmation) {
        try {
            confirmation.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * Lets the conversation's members download the message's attachments, now that it is stored; a
     * repeat links again, which heals a link lost when the first attempt failed after its commit.
     */
    private void linkAttachments(PreparedSend send) {
        if (!send.plain().attachments().isEmpty()) {
            attachments.link(send.plain().conversationId(), send.plain().attachments());
        }
    }

    /** The stored message with the plaintext the caller sent, instead of opening what was sealed. */
    private static Message withContent(Message stored, NewMessage plain) {
        return new Message(stored.id(), stored.conversationId(), stored.seq(), stored.senderId(), plain.body(),
                stored.priority(), stored.sentAt(), stored.clientMsgId(), plain.attachments());
    }

    private static boolean sameContent(Message original, SendRequest request) {
        return original.conversationId().equals(request.conversationId())
                && original.body().equals(request.body())
                && original.priority() == request.priority()
                && original.attachments().stream().map(a -> a.id()).toList().equals(request.attachments());
    }

    /**
     * A page of history.
     *
     * @param caller a member
     * @param conversationId the conversation
     * @param beforeSeq only older than this, or null for the newest
     * @param limit the page size, or null for the default
     * @return the page
     */
    public HistoryPage history(
            Caller caller, ConversationId conversationId, @Nullable Long beforeSeq, @Nullable Integer limit) {
        MemberState self = auditor.requireMember(caller, conversationId, "message.read");
        int pageSize = limit == null ? limits.defaultHistoryLimit() : limit;
        if (pageSize < 1 || pageSize > limits.maxHistoryLimit()) {
            throw new BadRequestException("limit must be 1 to " + limits.maxHistoryLimit());
        }
        if (beforeSeq != null && beforeSeq < 1) {
            throw new BadRequestException("beforeSeq must be at least 1");
        }
        auditor.access(caller, "message.read", conversationId);
        return cipher.open(caller, sinceJoining(self, beforeSeq, pageSize));
    }

    /**
     * A page of history without the messages from before the member joined (a member added to a
     * group sees what came after their {@code joinedSeq} only).
     */
    private HistoryPage sinceJoining(MemberState self, @Nullable Long beforeSeq, int pageSize) {
        long joinedSeq = self.joinedSeq();
        if (beforeSeq != null && beforeSeq <= joinedSeq + 1) {
            return new HistoryPage(List.of(), false);
        }
        HistoryPage page = messages.history(self.conversationId(), beforeSeq, pageSize);
        if (joinedSeq == 0) {
            return page;
        }
        List<Message> visible = page.messages().stream().filter(m -> m.seq() > joinedSeq).toList();
        boolean olderVisible = page.hasMore() && visible.size() == page.messages().size()
                && (visible.isEmpty() || visible.get(0).seq() > joinedSeq + 1);
        return new HistoryPage(visible, olderVisible);
    }

    /**
     * The messages after a member's {@code deliveredSeq}.
     *
     * @param caller a member
     * @param conversationId the conversation
     * @return the backlog, ascending, bounded by the backlog limit
     */
    public List<Message> backlog(Caller caller, ConversationId conversationId) {
        MemberState self = auditor.requireMember(caller, conversationId, "message.read");
        auditor.access(caller, "message.read", conversationId);
        return cipher.open(caller, messages.after(conversationId, self.deliveredSeq(), limits.backlogLimit()));
    }
}
