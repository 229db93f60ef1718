package io.carechat.messaging.jdbc.internal;

import static io.carechat.messaging.jdbc.internal.StorageFailures.call;
import static java.util.Objects.requireNonNull;

import io.carechat.messaging.ConversationId;
import io.carechat.messaging.HistoryPage;
import io.carechat.messaging.Message;
import io.carechat.messaging.spi.AppendResult;
import io.carechat.messaging.spi.MessageStore;
import io.carechat.messaging.spi.NewMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.jspecify.annotations.Nullable;

/**
 * {@link MessageStore} on the {@code messages} table: appends go through group commit, reads use
 * the {@code (conversation_id, seq)} index. Not API. Thread-safe.
 */
public final class JdbiMessageStore implements MessageStore {
    private final Jdbi jdbi;
    private final SqlTemplates sql;
    private final GroupCommitWriter writer;

    /**
     * Creates the store.
     *
     * @param jdbi the configured Jdbi
     * @param sql the table-name renderer
     * @param writer the group-commit writer every append goes through
     */
    public JdbiMessageStore(Jdbi jdbi, SqlTemplates sql, GroupCommitWriter writer) {
        this.jdbi = requireNonNull(jdbi, "jdbi");
        this.sql = requireNonNull(sql, "sql");
        this.writer = requireNonNull(writer, "writer");
    }

    @Override
    public AppendResult append(NewMessage message) {
        return writer.append(requireNonNull(message, "message"));
    }

    @Override
    public HistoryPage history(ConversationId id, @Nullable Long beforeSeq, int limit) {
        requireNonNull(id, "id");
        requirePositive(limit);
        List<Message> newestFirst = call(() -> jdbi.withHandle(h -> {
            Query query = beforeSeq == null
                    ? h.createQuery(sql.render("SELECT " + Rows.MESSAGE_COLUMNS
                            + " FROM ${p}messages WHERE conversation_id = :c ORDER BY seq DESC LIMIT :limit"))
                    : h.createQuery(sql.render("SELECT " + Rows.MESSAGE_COLUMNS
                                    + " FROM ${p}messages WHERE conversation_id = :c AND seq < :before"
                                    + " ORDER BY seq DESC LIMIT :limit"))
                            .bind("before", beforeSeq.longValue());
            return query.bind("c", id.value()).bind("limit", limit + 1).map(Rows.MESSAGE).list();
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
        return call(() -> jdbi.withHandle(h -> h.createQuery(sql.render("SELECT " + Rows.MESSAGE_COLUMNS
                        + " FROM ${p}messages WHERE conversation_id = :c AND seq > :after ORDER BY seq LIMIT :limit"))
                .bind("c", id.value())
                .bind("after", afterSeq)
                .bind("limit", limit)
                .map(Rows.MESSAGE)
                .list()));
    }

    @Override
    public Optional<Message> find(ConversationId id, long seq) {
        requireNonNull(id, "id");
        return call(() -> jdbi.withHandle(h -> h.createQuery(sql.render("SELECT " + Rows.MESSAGE_COLUMNS
                        + " FROM ${p}messages WHERE conversation_id = :c AND seq = :seq"))
                .bind("c", id.value())
                .bind("seq", seq)
                .map(Rows.MESSAGE)
                .findOne()));
    }

    private static void requirePositive(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
    }
}
