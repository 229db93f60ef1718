package io.carechat.messaging.jdbc.internal;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.ConversationId;
import io.carechat.messaging.Message;
import io.carechat.messaging.NotFoundException;
import io.carechat.messaging.spi.AppendResult;
import io.carechat.messaging.spi.NewMessage;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Writes one message inside a transaction the caller owns: takes the conversation's row lock,
 * checks membership and the sender's {@code clientMsgId}, assigns the next {@code seq}, inserts the
 * message and raises the other members' unread counters. Not API. Stateless and thread-safe.
 *
 * <p>Because the conversation row stays locked until the transaction ends, {@code seq} is gapless
 * and in commit order, and a retry of the same key waits for the first write and then finds it.
 */
public final class MessageAppender {
    private final SqlTemplates sql;

    /**
     * Creates the appender.
     *
     * @param sql the table-name renderer
     */
    public MessageAppender(SqlTemplates sql) {
        this.sql = requireNonNull(sql, "sql");
    }

    /**
     * Takes the row locks of a batch's conversations, in id order, so that two writers (two
     * nodes) whose batches share conversations cannot deadlock. Unknown ids are skipped; the
     * append then reports them.
     *
     * @param h a handle inside a transaction
     * @param ids the conversations the batch writes to
     */
    public void lockConversations(Handle h, Collection<ConversationId> ids) {
        List<String> sorted = ids.stream().map(ConversationId::value).distinct().sorted().toList();
        for (String id : sorted) {
            h.createQuery(sql.render("SELECT last_seq FROM ${p}conversations WHERE id = :c FOR UPDATE"))
                    .bind("c", id)
                    .mapTo(Long.class)
                    .findOne();
        }
    }

    /**
     * Appends a message, or finds the original stored under the sender's key.
     *
     * @param h a handle inside a transaction
     * @param message the message
     * @return the stored message and whether this call created it
     * @throws NotFoundException if the conversation does not exist or the sender is not a member;
     *     nothing was written for this message
     */
    public AppendResult append(Handle h, NewMessage message) {
        String conversationId = message.conversationId().value();
        Optional<Long> lastSeq = h.createQuery(sql.render(
                        "SELECT last_seq FROM ${p}conversations WHERE id = :c FOR UPDATE"))
                .bind("c", conversationId)
                .mapTo(Long.class)
                .findOne();
        if (lastSeq.isEmpty()) {
            throw new NotFoundException("no such conversation");
        }
        boolean member = h.createQuery(sql.render(
                        "SELECT COUNT(*) FROM ${p}members WHERE conversation_id = :c AND user_id = :u"))
                .bind("c", conversationId)
                .bind("u", message.senderId().value())
                .mapTo(Long.class)
                .one() > 0;
        if (!member) {
            throw new NotFoundException("no such conversation");
        }
        Optional<Message> original = h.createQuery(sql.render("SELECT " + Rows.MESSAGE_COLUMNS
                        + " FROM ${p}messages WHERE sender_id = :s AND client_msg_id = :k"))
                .bind("s", message.senderId().value())
                .bind("k", message.clientMsgId())
                .map(Rows.MESSAGE)
                .findOne();
        if (original.isPresent()) {
            return new AppendResult(original.get(), false);
        }
        Message stored = new Message(message.id(), message.conversationId(), lastSeq.get() + 1,
                message.senderId(), message.body(), message.priority(), Rows.truncate(message.sentAt()),
                message.clientMsgId(), message.attachments());
        h.createUpdate(sql.render("INSERT INTO ${p}messages"
                        + " (id, conversation_id, seq, sender_id, client_msg_id, body, priority, sent_at, attachments)"
                        + " VALUES (:id, :c, :seq, :s, :k, :body, :priority, :sentAt, :attachments)"))
                .bind("id", stored.id().value())
                .bind("c", conversationId)
                .bind("seq", stored.seq())
                .bind("s", stored.senderId().value())
                .bind("k", stored.clientMsgId())
                .bind("body", stored.body())
                .bind("priority", stored.priority().name())
                .bind("sentAt", Rows.timestamp(stored.sentAt()))
                .bind("attachments", AttachmentsJson.write(stored.attachments()))
                .execute();
        h.createUpdate(sql.render(
                        "UPDATE ${p}conversations SET last_seq = :seq, last_message_at = :sentAt WHERE id = :c"))
                .bind("seq", stored.seq())
                .bind("sentAt", Rows.timestamp(stored.sentAt()))
                .bind("c", conversationId)
                .execute();
        h.createUpdate(sql.render(
                        "UPDATE ${p}members SET unread = unread + 1 WHERE conversation_id = :c AND user_id <> :s"))
                .bind("c", conversationId)
                .bind("s", stored.senderId().value())
                .execute();
        return new AppendResult(stored, true);
    }
}
