package io.carechat.messaging.jdbc.internal;

import static io.carechat.messaging.jdbc.internal.StorageFailures.call;
import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.AttachmentId;
import io.carechat.messaging.model.AttachmentRef;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AttachmentStore;
import io.carechat.messaging.spi.StoredAttachment;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jspecify.annotations.Nullable;

/** {@link AttachmentStore} on the {@code attachments} and {@code attachment_links} tables. Not API. Thread-safe. */
public final class JdbiAttachmentStore implements AttachmentStore {
    private static final RowMapper<StoredAttachment> STORED = (rs, ctx) -> new StoredAttachment(
            new AttachmentRef(AttachmentId.of(rs.getString("id")), rs.getString("name"),
                    rs.getString("content_type"), rs.getLong("size")),
            UserId.of(rs.getString("owner_id")), Rows.instant(rs, "uploaded_at"));

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
    public JdbiAttachmentStore(Jdbi jdbi, SqlTemplates sql, Dialect dialect) {
        this.jdbi = requireNonNull(jdbi, "jdbi");
        this.sql = requireNonNull(sql, "sql");
        this.dialect = requireNonNull(dialect, "dialect");
    }

    @Override
    public void put(StoredAttachment attachment, byte[] sealedContent) {
        requireNonNull(attachment, "attachment");
        requireNonNull(sealedContent, "sealedContent");
        StorageFailures.run(() -> jdbi.useHandle(h -> insert(h, attachment, sealedContent)));
    }

    private void insert(Handle h, StoredAttachment attachment, byte[] sealedContent) {
        AttachmentRef ref = attachment.ref();
        h.createUpdate(sql.render("INSERT INTO ${p}attachments"
                        + " (id, owner_id, name, content_type, size, uploaded_at, content)"
                        + " VALUES (:id, :owner, :name, :type, :size, :at, :content)"))
                .bind("id", ref.id().value())
                .bind("owner", attachment.ownerId().value())
                .bind("name", ref.name())
                .bind("type", ref.contentType())
                .bind("size", ref.size())
                .bind("at", dialect.timestamp(attachment.uploadedAt()))
                .bind("content", sealedContent)
                .execute();
    }

    /**
     * {@inheritDoc} Every upload locks the one row of {@code attachment_quota_lock} first, so the
     * sums it reads cannot change before its insert commits.
     */
    @Override
    public Admission putWithinQuota(StoredAttachment attachment, byte[] sealedContent, long ownerQuota,
            long totalQuota) {
        requireNonNull(attachment, "attachment");
        requireNonNull(sealedContent, "sealedContent");
        long size = attachment.ref().size();
        return call(() -> jdbi.inTransaction(h -> {
            h.createQuery(sql.render("SELECT id FROM ${p}attachment_quota_lock WHERE id = 1" + dialect.forUpdate()))
                    .mapTo(Integer.class)
                    .one();
            if (storedSize(h, " AND owner_id = :o", attachment.ownerId()) + size > ownerQuota) {
                return Admission.OWNER_QUOTA_EXCEEDED;
            }
            if (storedSize(h, "", null) + size > totalQuota) {
                return Admission.TOTAL_QUOTA_EXCEEDED;
            }
            insert(h, attachment, sealedContent);
            return Admission.STORED;
        }));
    }

    private long storedSize(Handle h, String ownerClause, @Nullable UserId owner) {
        var query = h.createQuery(sql.render(
                "SELECT COALESCE(SUM(size), 0) FROM ${p}attachments WHERE OCTET_LENGTH(content) > 0" + ownerClause));
        if (owner != null) {
            query.bind("o", owner.value());
        }
        return query.mapTo(Long.class).one();
    }

    @Override
    public Optional<StoredAttachment> find(AttachmentId id) {
        requireNonNull(id, "id");
        return call(() -> jdbi.withHandle(h -> h.createQuery(sql.render(
                        "SELECT id, owner_id, name, content_type, size, uploaded_at FROM ${p}attachments WHERE id = :id"))
                .bind("id", id.value())
                .map(STORED)
                .findOne()));
    }

    @Override
    public Optional<byte[]> content(AttachmentId id) {
        requireNonNull(id, "id");
        return call(() -> jdbi.withHandle(h -> h.createQuery(sql.render(
                        "SELECT content FROM ${p}attachments WHERE id = :id AND OCTET_LENGTH(content) > 0"))
                .bind("id", id.value())
                .map((rs, ctx) -> rs.getBytes("content"))
                .findOne()));
    }

    @Override
    public long totalSize(UserId ownerId) {
        requireNonNull(ownerId, "ownerId");
        return call(() -> jdbi.withHandle(h -> h.createQuery(sql.render(
                        "SELECT COALESCE(SUM(size), 0) FROM ${p}attachments WHERE owner_id = :o"))
                .bind("o", ownerId.value())
                .mapTo(Long.class)
                .one()));
    }

    @Override
    public void link(AttachmentId id, ConversationId conversationId) {
        requireNonNull(id, "id");
        requireNonNull(conversationId, "conversationId");
        StorageFailures.run(() -> jdbi.useHandle(h -> h.createUpdate(sql.render("INSERT INTO ${p}attachment_links"
                        + " (attachment_id, conversation_id) SELECT a.id, :c FROM ${p}attachments a WHERE a.id = :a"
                        + " AND NOT EXISTS (SELECT 1 FROM ${p}attachment_links l WHERE l.attachment_id = :a"
                        + " AND l.conversation_id = :c)"))
                .bind("a", id.value())
                .bind("c", conversationId.value())
                .execute()));
    }

    @Override
    public List<ConversationId> conversationsOf(AttachmentId id) {
        requireNonNull(id, "id");
        return call(() -> jdbi.withHandle(h -> h.createQuery(sql.render(
                        "SELECT conversation_id FROM ${p}attachment_links WHERE attachment_id = :a ORDER BY conversation_id"))
                .bind("a", id.value())
                .map((rs, ctx) -> ConversationId.of(rs.getString("conversation_id")))
                .list()));
    }

    @Override
    public List<StoredAttachment> uploadedBefore(Instant cutoff, @Nullable AttachmentId after, int limit) {
        return pageBefore(cutoff, after, limit, "");
    }

    @Override
    public List<StoredAttachment> unlinkedBefore(Instant cutoff, @Nullable AttachmentId after, int limit) {
        return pageBefore(cutoff, after, limit,
                " AND NOT EXISTS (SELECT 1 FROM ${p}attachment_links l WHERE l.attachment_id = a.id)");
    }

    /** A page, in id order, of uploads with content made before {@code cutoff}, narrowed by {@code condition}. */
    private List<StoredAttachment> pageBefore(Instant cutoff, @Nullable AttachmentId after, int limit, String condition) {
        requireNonNull(cutoff, "cutoff");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        return call(() -> jdbi.withHandle(h -> h.createQuery(sql.render(
                        "SELECT id, owner_id, name, content_type, size, uploaded_at FROM ${p}attachments a"
                                + " WHERE uploaded_at < :cutoff AND OCTET_LENGTH(content) > 0 AND id > :after"
                                + condition + " ORDER BY id" + dialect.limit(":limit")))
                .bind("cutoff", dialect.timestamp(cutoff))
                .bind("after", after == null ? "" : after.value())
                .bind("limit", limit)
                .map(STORED)
                .list()));
    }

    @Override
    public boolean purgeIfUnlinked(AttachmentId id) {
        requireNonNull(id, "id");
        return call(() -> jdbi.withHandle(h -> h.createUpdate(sql.render(
                        "UPDATE ${p}attachments SET content = :empty WHERE id = :id AND OCTET_LENGTH(content) > 0"
                                + " AND NOT EXISTS (SELECT 1 FROM ${p}attachment_links l WHERE l.attachment_id = :id)"))
                .bind("empty", new byte[0])
                .bind("id", id.value())
                .execute() == 1));
    }

    @Override
    public List<StoredAttachment> scan(@Nullable AttachmentId after, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        return call(() -> jdbi.withHandle(h -> h.createQuery(sql.render(
                        "SELECT id, owner_id, name, content_type, size, uploaded_at FROM ${p}attachments"
                                + " WHERE id > :after ORDER BY id" + dialect.limit(":limit")))
                .bind("after", after == null ? "" : after.value())
                .bind("limit", limit)
                .map(STORED)
                .list()));
    }

    @Override
    public boolean replaceName(AttachmentId id, String expected, String replacement) {
        requireNonNull(id, "id");
        requireNonNull(expected, "expected");
        requireNonNull(replacement, "replacement");
        return call(() -> jdbi.withHandle(h -> h.createUpdate(sql.render(
                        "UPDATE ${p}attachments SET name = :replacement WHERE id = :id AND name = :expected"))
                .bind("replacement", replacement)
                .bind("id", id.value())
                .bind("expected", expected)
                .execute() == 1));
    }

    @Override
    public boolean purgeContent(AttachmentId id) {
        requireNonNull(id, "id");
        return call(() -> jdbi.withHandle(h -> h.createUpdate(sql.render(
                        "UPDATE ${p}attachments SET content = :empty WHERE id = :id AND OCTET_LENGTH(content) > 0"))
                .bind("empty", new byte[0])
                .bind("id", id.value())
                .execute() == 1));
    }

    @Override
    public boolean replaceContent(AttachmentId id, byte[] expected, byte[] replacement) {
        requireNonNull(id, "id");
        requireNonNull(expected, "expected");
        requireNonNull(replacement, "replacement");
        return call(() -> jdbi.inTransaction(h -> {
            Optional<byte[]> current = h.createQuery(sql.render(
                            "SELECT content FROM ${p}attachments WHERE id = :id" + dialect.forUpdate()))
                    .bind("id", id.value())
                    .map((rs, ctx) -> rs.getBytes("content"))
                    .findOne();
            if (current.isEmpty() || !Arrays.equals(current.get(), expected) || expected.length == 0) {
                return false;
            }
            return h.createUpdate(sql.render("UPDATE ${p}attachments SET content = :c WHERE id = :id"))
                    .bind("c", replacement)
                    .bind("id", id.value())
                    .execute() == 1;
        }));
    }
}
