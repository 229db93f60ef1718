package io.carechat.messaging.jdbc.internal;

import static io.carechat.messaging.jdbc.internal.StorageFailures.call;
import static java.util.Objects.requireNonNull;

import io.carechat.messaging.error.NotFoundException;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.MemberState;
import io.carechat.messaging.model.UnreadCounts;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.ReceiptStore;
import io.carechat.messaging.spi.ReceiptUpdate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * {@link ReceiptStore} on the {@code members} table. Positions only rise and are clamped to the
 * conversation's {@code last_seq}. {@code markRead} locks the member's row before counting, so an
 * append (which raises the counter under the same row lock) is either counted or added after,
 * never lost. Not API. Thread-safe.
 */
public final class JdbiReceiptStore implements ReceiptStore {
    private final Jdbi jdbi;
    private final SqlTemplates sql;
    private final Dialect dialect;

    /**
     * Creates the store.
     *
     * @param jdbi the configured Jdbi
     * @param sql the table-name renderer
     * @param dialect what differs on this database
     */
    public JdbiReceiptStore(Jdbi jdbi, SqlTemplates sql, Dialect dialect) {
        this.jdbi = requireNonNull(jdbi, "jdbi");
        this.sql = requireNonNull(sql, "sql");
        this.dialect = requireNonNull(dialect, "dialect");
    }

    @Override
    public ReceiptUpdate markDelivered(ConversationId id, UserId userId, long seq) {
        requireNonNull(id, "id");
        requireNonNull(userId, "userId");
        return call(() -> jdbi.inTransaction(h -> {
            MemberState before = lockMember(h, id, userId);
            long target = Math.min(seq, lastSeq(h, id));
            if (target <= before.deliveredSeq()) {
                return new ReceiptUpdate(before, false);
            }
            h.createUpdate(sql.render("UPDATE ${p}members SET delivered_seq = :t"
                            + " WHERE conversation_id = :c AND user_id = :u"))
                    .bind("t", target)
                    .bind("c", id.value())
                    .bind("u", userId.value())
                    .execute();
            return new ReceiptUpdate(before.at(target, before.readSeq(), before.unread()), true);
        }));
    }

    @Override
    public ReceiptUpdate markRead(ConversationId id, UserId userId, long seq) {
        requireNonNull(id, "id");
        requireNonNull(userId, "userId");
        return call(() -> jdbi.inTransaction(h -> {
            MemberState before = lockMember(h, id, userId);
            long lastSeq = lastSeq(h, id);
            long target = Math.min(seq, lastSeq);
            if (target <= before.readSeq()) {
                return new ReceiptUpdate(before, false);
            }
            long unread = target >= lastSeq ? 0 : h.createQuery(sql.render("SELECT COUNT(*) FROM ${p}messages"
                            + " WHERE conversation_id = :c AND seq > :t AND sender_id <> :u"))
                    .bind("c", id.value())
                    .bind("t", target)
                    .bind("u", userId.value())
                    .mapTo(Long.class)
                    .one();
            long delivered = Math.max(before.deliveredSeq(), target);
            h.createUpdate(sql.render("UPDATE ${p}members SET read_seq = :t, delivered_seq = :d, unread = :n"
                            + " WHERE conversation_id = :c AND user_id = :u"))
                    .bind("t", target)
                    .bind("d", delivered)
                    .bind("n", unread)
                    .bind("c", id.value())
                    .bind("u", userId.value())
                    .execute();
            return new ReceiptUpdate(before.at(delivered, target, unread), true);
        }));
    }

    private MemberState lockMember(Handle h, ConversationId id, UserId userId) {
        return h.createQuery(sql.render("SELECT " + Rows.MEMBER_COLUMNS
                        + " FROM ${p}members WHERE conversation_id = :c AND user_id = :u" + dialect.forUpdate()))
                .bind("c", id.value())
                .bind("u", userId.value())
                .map(Rows.MEMBER)
                .findOne()
                .orElseThrow(() -> new NotFoundException("no such conversation"));
    }

    private long lastSeq(Handle h, ConversationId id) {
        return h.createQuery(sql.render("SELECT last_seq FROM ${p}conversations WHERE id = :c"))
                .bind("c", id.value())
                .mapTo(Long.class)
                .one();
    }

    @Override
    public UnreadCounts unread(UserId userId) {
        requireNonNull(userId, "userId");
        Map<ConversationId, Long> counts = new LinkedHashMap<>();
        call(() -> jdbi.withHandle(h -> {
            h.createQuery(sql.render("SELECT conversation_id, unread FROM ${p}members"
                            + " WHERE user_id = :u AND unread > 0"))
                    .bind("u", userId.value())
                    .map((rs, ctx) -> Map.entry(ConversationId.of(rs.getString("conversation_id")), rs.getLong("unread")))
                    .forEach(e -> counts.put(e.getKey(), e.getValue()));
            return counts;
        }));
        return UnreadCounts.of(counts);
    }
}
