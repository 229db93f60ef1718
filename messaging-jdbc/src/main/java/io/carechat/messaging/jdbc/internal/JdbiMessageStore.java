package io.carechat.messaging.jdbc.internal;

import static io.carechat.messaging.jdbc.internal.StorageFailures.call;
import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.AttachmentId;
import io.carechat.messaging.model.AttachmentRef;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.HistoryPage;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.MessageId;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AppendResult;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.AuditSink;
import io.carechat.messaging.spi.MessageBodyStore;
import io.carechat.messaging.spi.MessageRecall;
import io.carechat.messaging.spi.MessageStore;
import io.carechat.messaging.spi.NewMessage;
import io.carechat.messaging.spi.StoredBody;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.jspecify.annotations.Nullable;

/**
 * {@link MessageStore} on the {@code messages} table: appends go through group commit, with the
 * send's audit event in the same transaction when the audit trail is this database's; reads use
 * the {@code (conversation_id, seq)} index. Recalls live in {@code message_recalls} beside the
 * untouched original: the reads here look them up for the {@code seq} range they return and hand
 * back tombstones; the maintenance scan reads the originals. Not API. Thread-safe.
 */
public final class JdbiMessageStore implements MessageStore, MessageBodyStore {
    private static final String RECALL_COLUMNS = "conversation_id, seq, message_id, recalled_by, recalled_at, reason";

    private final Jdbi jdbi;
    private final SqlTemplates sql;
    private final Dialect dialect;
    private final GroupCommitWriter writer;
    private final AuditSink ownTrail;


    /**
     * Creates the store.
     *
     * @param jdbi the configured Jdbi
     * @param sql the table-name renderer
     * @param dialect what differs on this database
     * @param writer the group-commit writer every append goes through
     * @param ownTrail the audit trail in the same database, whose events the writer keeps in the
     *     messages' transactions
     */
    public JdbiMessageStore(Jdbi jdbi, SqlTemplates sql, Dialect dialect, GroupCommitWriter writer,
            AuditSink ownTrail) {
        this.jdbi = requireNonNull(jdbi, "jdbi");
        this.sql = requireNonNull(sql, "sql");
        this.dialect = requireNonNull(dialect, "dialect");
        this.writer = requireNonNull(writer, "writer");
        this.ownTrail = requireNonNull(ownTrail, "ownTrail");
    }

    @Override
    public AppendResult append(NewMessage message) {
        return writer.append(requireNonNull(message, "message"), null);
    }

    /**
     * When {@code sink} is this database's audit trail, the event is written in the message's
     * transaction; otherwise it is recorded in {@code sink} first, as the interface's default does.
     */
    @Override
    public AppendResult append(NewMessage message, AuditEvent sendEvent, AuditSink sink) {
        requireNonNull(message, "message");
        requireNonNull(sendEvent, "sendEvent");
        if (requireNonNull(sink, "sink") == ownTrail) {
            return writer.append(message, sendEvent);
        }
        return MessageStore.super.append(message, sendEvent, sink);
    }

    /** Queues the append for the next batch; the future completes on the group-commit writer's thread. */
    @Override
    public CompletableFuture<AppendResult> appendAsync(NewMessage message, AuditEvent sendEvent, AuditSink sink) {
        requireNonNull(message, "message");
        requireNonNull(sendEvent, "sendEvent");
        if (requireNonNull(sink, "sink") == ownTrail) {
            return writer.appendAsync(message, sendEvent);
        }
        return MessageStore.super.appendAsync(message, sendEvent, sink);
    }

    @Override
    public HistoryPage history(ConversationId id, @Nullable Long beforeSeq, int limit) {
        requireNonNull(id, "id");
        requirePositive(limit);
        List<Message> newestFirst = call(() -> jdbi.withHandle(h -> {
            Query query = beforeSeq == null
                    ? h.createQuery(sql.render("SELECT " + Rows.MESSAGE_COLUMNS
                            + " FROM ${p}messages WHERE conversation_id = :c ORDER BY seq DESC" + dialect.limit(":limit")))
                    : h.createQuery(sql.render("SELECT " + Rows.MESSAGE_COLUMNS
                                    + " FROM ${p}messages WHERE conversation_id = :c AND seq < :before"
                                    + " ORDER BY seq DESC" + dialect.limit(":limit")))
                            .bind("before", beforeSeq.longValue());
            return tombstoned(h, query.bind("c", id.value()).bind("limit", limit + 1).map(Rows.MESSAGE).list());
        }));
        boolean hasMore = newestFirst.size() > limit;
        List<Message> page = new ArrayList<>(newestFirst.subList(0, Math.min(limit, newestFirst.size())));
        Collections.reverse(page);
        return new HistoryPage(page, hasMore);
    }

    @Override
    public List<Message> after(ConversationId id, long afterSeq, int limit) {
        requireNonNull(id, "id");
        requirePositive(limit);
        return call(() -> jdbi.withHandle(h -> tombstoned(h, h.createQuery(sql.render("SELECT "
                        + Rows.MESSAGE_COLUMNS
                        + " FROM ${p}messages WHERE conversation_id = :c AND seq > :after ORDER BY seq" + dialect.limit(":limit")))
                .bind("c", id.value())
                .bind("after", afterSeq)
                .bind("limit", limit)
                .map(Rows.MESSAGE)
                .list())));
    }

    @Override
    public Optional<Message> find(ConversationId id, long seq) {
        requireNonNull(id, "id");
        return call(() -> jdbi.withHandle(h -> h.createQuery(sql.render("SELECT " + Rows.MESSAGE_COLUMNS
                        + " FROM ${p}messages WHERE conversation_id = :c AND seq = :seq"))
                .bind("c", id.value())
                .bind("seq", seq)
                .map(Rows.MESSAGE)
                .findOne()
                .map(m -> tombstoned(h, List.of(m)).get(0))));
    }

    /**
     * Keeps the recall under the message row's lock, with the attachments the message carried;
     * a second recall of the same message finds the first and changes nothing.
     */
    @Override
    public Optional<Message> recall(MessageRecall recall) {
        requireNonNull(recall, "recall");
        return call(() -> jdbi.inTransaction(h -> {
            Optional<Message> original = h.createQuery(sql.render("SELECT " + Rows.MESSAGE_COLUMNS
                            + " FROM ${p}messages WHERE conversation_id = :c AND seq = :s" + dialect.forUpdate()))
                    .bind("c", recall.conversationId().value())
                    .bind("s", recall.seq())
                    .map(Rows.MESSAGE)
                    .findOne()
                    .filter(m -> m.id().equals(recall.messageId()));
            if (original.isEmpty()) {
                return Optional.<Message>empty();
            }
            Map<Long, Instant> earlier = recalledAt(h, recall.conversationId(), recall.seq(), recall.seq());
            if (!earlier.isEmpty()) {
                return Optional.of(original.get().tombstone(earlier.get(recall.seq())));
            }
            h.createUpdate(sql.render("INSERT INTO ${p}message_recalls"
                            + " (conversation_id, seq, message_id, recalled_by, recalled_at, reason)"
                            + " VALUES (:c, :s, :m, :by, :at, :reason)"))
                    .bind("c", recall.conversationId().value())
                    .bind("s", recall.seq())
                    .bind("m", recall.messageId().value())
                    .bind("by", recall.recalledBy().value())
                    .bind("at", dialect.timestamp(recall.recalledAt()))
                    .bind("reason", recall.sealedReason())
                    .execute();
            LinkedHashSet<AttachmentId> carried = new LinkedHashSet<>();
            original.get().attachments().forEach(a -> carried.add(a.id()));
            for (AttachmentId attachment : carried) {
                h.createUpdate(sql.render("INSERT INTO ${p}recalled_attachments"
                                + " (conversation_id, attachment_id, message_id) VALUES (:c, :a, :m)"))
                        .bind("c", recall.conversationId().value())
                        .bind("a", attachment.value())
                        .bind("m", recall.messageId().value())
                        .execute();
            }
            return Optional.of(original.get().tombstone(dialect.truncate(recall.recalledAt())));
        }));
    }

    @Override
    public List<MessageRecall> scanRecalls(@Nullable MessageRecall after, int limit) {
        requirePositive(limit);
        return call(() -> jdbi.withHandle(h -> {
            Query query = after == null
                    ? h.createQuery(sql.render("SELECT " + RECALL_COLUMNS + " FROM ${p}message_recalls"
                            + " ORDER BY conversation_id, seq" + dialect.limit(":limit")))
                    : h.createQuery(sql.render("SELECT " + RECALL_COLUMNS + " FROM ${p}message_recalls"
                                    + " WHERE conversation_id > :c OR (conversation_id = :c AND seq > :s)"
                                    + " ORDER BY conversation_id, seq" + dialect.limit(":limit")))
                            .bind("c", after.conversationId().value())
                            .bind("s", after.seq());
            return query.bind("limit", limit).map((rs, ctx) -> new MessageRecall(
                    ConversationId.of(rs.getString("conversation_id")), rs.getLong("seq"),
                    MessageId.of(rs.getString("message_id")), UserId.of(rs.getString("recalled_by")),
                    Rows.instant(rs, "recalled_at"), rs.getString("reason"))).list();
        }));
    }

    /** Compares under the row's lock and writes by key, as the body rewrites do. */
    @Override
    public boolean replaceRecallReason(MessageRecall expected, String sealedReason) {
        requireNonNull(expected, "expected");
        requireNonNull(sealedReason, "sealedReason");
        return call(() -> jdbi.inTransaction(h -> {
            Optional<String> current = h.createQuery(sql.render("SELECT reason FROM ${p}message_recalls"
                            + " WHERE conversation_id = :c AND seq = :s" + dialect.forUpdate()))
                    .bind("c", expected.conversationId().value())
                    .bind("s", expected.seq())
                    .mapTo(String.class)
                    .findOne();
            if (current.isEmpty() || !current.get().equals(expected.sealedReason())) {
                return false;
            }
            return h.createUpdate(sql.render("UPDATE ${p}message_recalls SET reason = :r"
                            + " WHERE conversation_id = :c AND seq = :s"))
                    .bind("r", sealedReason)
                    .bind("c", expected.conversationId().value())
                    .bind("s", expected.seq())
                    .execute() == 1;
        }));
    }

    @Override
    public boolean carriedByRecalled(ConversationId conversationId, AttachmentId attachmentId) {
        requireNonNull(conversationId, "conversationId");
        requireNonNull(attachmentId, "attachmentId");
        return call(() -> jdbi.withHandle(h -> h.createQuery(sql.render("SELECT COUNT(*) FROM ${p}recalled_attachments"
                        + " WHERE conversation_id = :c AND attachment_id = :a"))
                .bind("c", conversationId.value())
                .bind("a", attachmentId.value())
                .mapTo(Long.class)
                .one() > 0));
    }

    /** The messages as readers get them: a recalled one as its tombstone. One query for the list. */
    private List<Message> tombstoned(Handle h, List<Message> stored) {
        if (stored.isEmpty()) {
            return stored;
        }
        long low = Long.MAX_VALUE;
        long high = Long.MIN_VALUE;
        for (Message m : stored) {
            low = Math.min(low, m.seq());
            high = Math.max(high, m.seq());
        }
        Map<Long, Instant> recalled = recalledAt(h, stored.get(0).conversationId(), low, high);
        if (recalled.isEmpty()) {
            return stored;
        }
        List<Message> out = new ArrayList<>(stored.size());
        for (Message m : stored) {
            Instant at = recalled.get(m.seq());
            out.add(at == null ? m : m.tombstone(at));
        }
        return out;
    }

    /** When each message of a {@code seq} range was recalled, for those that were. */
    private Map<Long, Instant> recalledAt(Handle h, ConversationId conversation, long low, long high) {
        Map<Long, Instant> recalled = new HashMap<>();
        h.createQuery(sql.render("SELECT seq, recalled_at FROM ${p}message_recalls"
                        + " WHERE conversation_id = :c AND seq >= :low AND seq <= :high"))
                .bind("c", conversation.value())
                .bind("low", low)
                .bind("high", high)
                .map((rs, ctx) -> Map.entry(rs.getLong("seq"), Rows.instant(rs, "recalled_at")))
                .forEach(e -> recalled.put(e.getKey(), e.getValue()));
        return recalled;
    }

    @Override
    public List<StoredBody> scan(@Nullable StoredBody after, int limit) {
        requirePositive(limit);
        return call(() -> jdbi.withHandle(h -> {
            Query query = after == null
                    ? h.createQuery(sql.render("SELECT " + Rows.MESSAGE_COLUMNS + " FROM ${p}messages"
                            + " ORDER BY conversation_id, seq" + dialect.limit(":limit")))
                    : h.createQuery(sql.render("SELECT " + Rows.MESSAGE_COLUMNS + " FROM ${p}messages"
                                    + " WHERE conversation_id > :c OR (conversation_id = :c AND seq > :s)"
                                    + " ORDER BY conversation_id, seq" + dialect.limit(":limit")))
                            .bind("c", after.conversationId().value())
                            .bind("s", after.seq());
            return query.bind("limit", limit).map(Rows.MESSAGE).map(StoredBody::of).list();
        }));
    }

    @Override
    public boolean replaceBody(StoredBody expected, String replacement) {
        requireNonNull(expected, "expected");
        requireNonNull(replacement, "replacement");
        return compareAndSet(expected, replacement, expected.attachments());
    }

    @Override
    public boolean reseal(StoredBody expected, String body, List<AttachmentRef> attachments) {
        requireNonNull(expected, "expected");
        requireNonNull(body, "body");
        return compareAndSet(expected, body, List.copyOf(attachments));
    }

    /** Replaces body and attachments of the row if both are still as expected. */
    private boolean compareAndSet(StoredBody expected, String body, List<AttachmentRef> attachments) {
        return call(() -> jdbi.inTransaction(h -> {
            Optional<StoredBody> current = h.createQuery(sql.render("SELECT " + Rows.MESSAGE_COLUMNS
                            + " FROM ${p}messages WHERE conversation_id = :c AND seq = :s" + dialect.forUpdate()))
                    .bind("c", expected.conversationId().value())
                    .bind("s", expected.seq())
                    .map(Rows.MESSAGE)
                    .map(StoredBody::of)
                    .findOne();
            if (current.isEmpty() || !current.get().body().equals(expected.body())
                    || !current.get().attachments().equals(expected.attachments())) {
                return false;
            }
            return h.createUpdate(sql.render(
                            "UPDATE ${p}messages SET body = :b, attachments = :a WHERE conversation_id = :c AND seq = :s"))
                    .bind("b", body)
                    .bind("a", AttachmentsJson.write(attachments))
                    .bind("c", expected.conversationId().value())
                    .bind("s", expected.seq())
                    .execute() == 1;
        }));
    }

    private static void requirePositive(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
    }
}
