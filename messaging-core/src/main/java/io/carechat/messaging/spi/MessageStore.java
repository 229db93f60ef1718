package io.carechat.messaging.spi;

import io.carechat.messaging.model.AttachmentId;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.HistoryPage;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.error.NotFoundException;
import io.carechat.messaging.error.UnavailableException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Stores messages. Implementations are thread-safe.
 *
 * <p>The rules every implementation keeps, and the conformance kit checks:
 * <ul>
 *   <li>{@code seq} starts at 1 in each conversation and is gapless and in commit order, also
 *       under concurrent appends;</li>
 *   <li>a sender's {@code clientMsgId} is stored once: appending it again stores nothing and
 *       returns the original, whatever the new body;</li>
 *   <li>in the same atomic step, every other member's unread counter rises by one;</li>
 *   <li>an append returns only once the message is durable;</li>
 *   <li>a recalled message keeps its place and its original stays stored (the legal record,
 *       which {@link MessageBodyStore} still sees), but every read here ({@link #history},
 *       {@link #after}, {@link #find}) returns it as a {@linkplain Message#tombstone tombstone}:
 *       empty body, no attachments, {@code recalledAt} set.</li>
 * </ul>
 */
public interface MessageStore {

    /**
     * Appends a message, or returns the original if the sender used the {@code clientMsgId}
     * before.
     *
     * @param message the validated message
     * @return the stored message and whether this call created it
     * @throws NotFoundException if the conversation does not exist or the sender is not a member
     *     and holds no break-glass grant active at the message's {@code sentAt} ({@link BreakGlassStore})
     * @throws UnavailableException if storage cannot be reached; nothing was stored
     */
    AppendResult append(NewMessage message);

    /**
     * Appends a message as {@link #append(NewMessage)} does and keeps the audit event of its send,
     * so that the event is kept exactly when the append is accepted: for a new message and for a
     * repeat of a stored one, never for a refused one (no conversation, not a member), and never
     * after a failure that stored nothing.
     *
     * <p>A store whose database also holds {@code sink}'s events writes both in one transaction,
     * as the JDBC adapter does for its own audit trail; that is what keeps a send and its record
     * together. This default records the event first and appends after: a failed append then
     * leaves the record of an attempt, and a refused one a record of a send that did not happen.
     * Stores that can do better override it.
     *
     * @param message the validated message
     * @param sendEvent the audit event of this send
     * @param sink where audit events are kept
     * @return the stored message and whether this call created it
     * @throws NotFoundException if the conversation does not exist or the sender is not a member
     *     and holds no break-glass grant active at the message's {@code sentAt} ({@link BreakGlassStore})
     * @throws UnavailableException if storage or the audit sink cannot be reached; the message was
     *     not stored
     */
    default AppendResult append(NewMessage message, AuditEvent sendEvent, AuditSink sink) {
        AuditSinks.recordOrFail(sink, sendEvent);
        return append(message);
    }

    /**
     * Starts {@link #append(NewMessage, AuditEvent, AuditSink)} and returns at once, so a caller can
     * have several appends in flight (a socket pipelining its sends). The future completes once the
     * message is durable, or fails with the exceptions the blocking call throws. It may complete on
     * a thread of the store's own (the JDBC adapter's group-commit writer): continue with an
     * {@code *Async} method and an executor of yours, and never block in a callback. The default
     * runs the blocking call on the calling thread and returns a completed future.
     *
     * @param message the validated message
     * @param sendEvent the audit event of this send
     * @param sink where audit events are kept
     * @return the stored message and whether this call created it, once durable
     */
    default CompletableFuture<AppendResult> appendAsync(NewMessage message, AuditEvent sendEvent, AuditSink sink) {
        try {
            return CompletableFuture.completedFuture(append(message, sendEvent, sink));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * A page of history, ascending by {@code seq}.
     *
     * @param id the conversation
     * @param beforeSeq only messages with a smaller {@code seq}, or null for the newest
     * @param limit the most to return, at least 1
     * @return the page; {@code hasMore} tells whether older messages exist
     */
    HistoryPage history(ConversationId id, @Nullable Long beforeSeq, int limit);

    /**
     * Messages after a {@code seq}, ascending: the backlog of a member coming back online.
     *
     * @param id the conversation
     * @param afterSeq only messages with a larger {@code seq}
     * @param limit the most to return, at least 1
     * @return the messages
     */
    List<Message> after(ConversationId id, long afterSeq, int limit);

    /**
     * Finds one message by its place.
     *
     * @param id the conversation
     * @param seq its {@code seq}
     * @return the message, or empty
     */
    Optional<Message> find(ConversationId id, long seq);

    /**
     * Recalls a message: keeps the recall next to the original, which stays stored, so that every
     * later read returns the message as a tombstone. Recalling a message twice keeps the first
     * recall and returns its tombstone.
     *
     * @param recall the message and the recall's details
     * <p>The reference implementations (in memory, JDBC) keep recalls; the default, for a store
     * written before recall existed, refuses, so that no recall is ever lost silently.
     *
     * @return the tombstone, or empty when no message with that id is at that place
     * @throws UnavailableException if storage cannot be reached; nothing was recalled
     * @throws UnsupportedOperationException if this store does not keep recalls
     */
    default Optional<Message> recall(MessageRecall recall) {
        throw new UnsupportedOperationException(getClass().getName() + " does not keep recalls");
    }

    /**
     * Tells whether a recalled message in a conversation carried an attachment, so that a download
     * of it through that conversation can be refused.
     *
     * @param conversationId the conversation
     * @param attachmentId the attachment
     * @return true if a recalled message of the conversation carried it; the default, for a store
     *     that keeps no recalls, is false
     * @throws UnavailableException if storage cannot be reached
     */
    default boolean carriedByRecalled(ConversationId conversationId, AttachmentId attachmentId) {
        return false;
    }
}
