package io.carechat.messaging.jdbc.internal;

import static io.carechat.messaging.jdbc.internal.StorageFailures.call;
import static java.util.Objects.requireNonNull;

import io.carechat.messaging.error.ConflictException;
import io.carechat.messaging.error.NotFoundException;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.ConversationKind;
import io.carechat.messaging.model.ConversationSummary;
import io.carechat.messaging.model.MemberState;
import io.carechat.messaging.model.MembershipPeriod;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.ConversationStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.Query;
import org.jspecify.annotations.Nullable;

/**
 * {@link ConversationStore} on the {@code conversations} and {@code members} tables, and
 * {@code member_periods} for the history of membership. A direct conversation is unique per pair
 * through {@code direct_key}. Adding and removing a group's member take the conversation's row
 * lock, as appends do, so a member joins and leaves between two {@code seq}s. Members must be stored users; an
 * unknown one is {@link NotFoundException}. Not API. Thread-safe: every call
 * runs on its own handle.
 */
public final class JdbiConversationStore implements ConversationStore {
    private static final int OPEN_DIRECT_ATTEMPTS = 3;

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
    public JdbiConversationStore(Jdbi jdbi, SqlTemplates sql, Dialect dialect) {
        this.jdbi = requireNonNull(jdbi, "jdbi");
        this.sql = requireNonNull(sql, "sql");
        this.dialect = requireNonNull(dialect, "dialect");
    }

    @Override
    public Conversation openDirect(ConversationId proposedId, UserId first, UserId second, Instant now) {
        requireNonNull(proposedId, "proposedId");
        requireNonNull(first, "first");
        requireNonNull(second, "second");
        requireNonNull(now, "now");
        if (first.equals(second)) {
            throw new IllegalArgumentException("a direct conversation needs two different users");
        }
        String directKey = directKey(first, second);
        Conversation proposed = new Conversation(
                proposedId, ConversationKind.DIRECT, List.of(first, second), dialect.truncate(now));
        return call(() -> {
            for (int attempt = 1; ; attempt++) {
                Optional<Conversation> existing = jdbi.withHandle(h -> findByDirectKey(h, directKey));
                if (existing.isPresent()) {
                    return existing.get();
                }
                try {
                    jdbi.useTransaction(h -> insert(h, proposed, directKey));
                    return proposed;
                } catch (JdbiException e) {
                    if (dialect.isForeignKeyViolation(e)) {
                        throw new NotFoundException("no such user");
                    }
                    // Another call created the pair's conversation first: read it on the next turn.
                    if (!dialect.isUniqueViolation(e) || attempt == OPEN_DIRECT_ATTEMPTS) {
                        throw e;
                    }
                }
            }
        });
    }

    @Override
    public Conversation createGroup(ConversationId id, List<UserId> members, Instant now) {
        requireNonNull(id, "id");
        requireNonNull(members, "members");
        requireNonNull(now, "now");
        return insertGroup(new Conversation(id, ConversationKind.GROUP, members, dialect.truncate(now)));
    }

    @Override
    public Conversation createGroup(ConversationId id, String title, List<UserId> members, Instant now) {
        requireNonNull(id, "id");
        requireNonNull(title, "title");
        requireNonNull(members, "members");
        requireNonNull(now, "now");
        return insertGroup(new Conversation(id, ConversationKind.GROUP, members, dialect.truncate(now), title));
    }

    private Conversation insertGroup(Conversation group) {
        if (group.memberIds().size() < 2) {
            throw new IllegalArgumentException("a group has at least two members");
        }
        return call(() -> {
            try {
                jdbi.useTransaction(h -> insert(h, group, null));
            } catch (JdbiException e) {
                if (dialect.isForeignKeyViolation(e)) {
                    throw new NotFoundException("no such user");
                }
                if (dialect.isUniqueViolation(e)) {
                    throw new ConflictException("conversation id is taken");
                }
                throw e;
            }
            return group;
        });
    }

    private void insert(Handle h, Conversation conversation, @Nullable String directKey) {
        h.createUpdate(sql.render("INSERT INTO ${p}conversations (id, kind, direct_key, last_seq, created_at, title)"
                        + " VALUES (:id, :kind, :directKey, 0, :createdAt, :title)"))
                .bind("id", conversation.id().value())
                .bind("kind", conversation.kind().name())
                .bind("directKey", directKey)
                .bind("title", conversation.title())
                .bind("createdAt", dialect.timestamp(conversation.createdAt()))
                .execute();
        List<UserId> memberIds = conversation.memberIds();
        for (int i = 0; i < memberIds.size(); i++) {
            h.createUpdate(sql.render("INSERT INTO ${p}members"
                            + " (conversation_id, user_id, join_order, delivered_seq, read_seq, unread)"
                            + " VALUES (:c, :u, :order, 0, 0, 0)"))
                    .bind("c", conversation.id().value())
                    .bind("u", memberIds.get(i).value())
                    .bind("order", i)
                    .execute();
            insertPeriod(h, conversation.id(), memberIds.get(i), 1, conversation.createdAt(), 0);
        }
    }

    private void insertPeriod(Handle h, ConversationId id, UserId userId, int period, Instant joinedAt, long joinedSeq) {
        h.createUpdate(sql.render("INSERT INTO ${p}member_periods"
                        + " (conversation_id, user_id, period, joined_at, joined_seq)"
                        + " VALUES (:c, :u, :period, :at, :seq)"))
                .bind("c", id.value())
                .bind("u", userId.value())
                .bind("period", period)
                .bind("at", dialect.timestamp(joinedAt))
                .bind("seq", joinedSeq)
                .execute();
    }

    @Override
    public MemberState addMember(ConversationId id, UserId userId, Instant now) {
        requireNonNull(id, "id");
        requireNonNull(userId, "userId");
        requireNonNull(now, "now");
        Instant at = dialect.truncate(now);
        return call(() -> {
            try {
                return jdbi.inTransaction(h -> {
                    long lastSeq = lockGroup(h, id);
                    boolean member = h.createQuery(sql.render("SELECT COUNT(*) FROM ${p}members"
                                    + " WHERE conversation_id = :c AND user_id = :u"))
                            .bind("c", id.value())
                            .bind("u", userId.value())
                            .mapTo(Long.class)
                            .one() > 0;
                    if (member) {
                        throw new ConflictException("already a member");
                    }
                    int order = h.createQuery(sql.render("SELECT COALESCE(MAX(join_order), -1) + 1"
                                    + " FROM ${p}members WHERE conversation_id = :c"))
                            .bind("c", id.value())
                            .mapTo(Integer.class)
                            .one();
                    h.createUpdate(sql.render("INSERT INTO ${p}members (conversation_id, user_id, join_order,"
                                    + " delivered_seq, read_seq, unread, joined_seq)"
                                    + " VALUES (:c, :u, :order, :seq, :seq, 0, :seq)"))
                            .bind("c", id.value())
                            .bind("u", userId.value())
                            .bind("order", order)
                            .bind("seq", lastSeq)
                            .execute();
                    int period = h.createQuery(sql.render("SELECT COALESCE(MAX(period), 0) + 1"
                                    + " FROM ${p}member_periods WHERE conversation_id = :c AND user_id = :u"))
                            .bind("c", id.value())
                            .bind("u", userId.value())
                            .mapTo(Integer.class)
                            .one();
                    insertPeriod(h, id, userId, period, at, lastSeq);
                    return new MemberState(id, userId, lastSeq, lastSeq, 0, lastSeq);
                });
            } catch (JdbiException e) {
                if (dialect.isForeignKeyViolation(e)) {
                    throw new NotFoundException("no such user");
                }
                throw e;
            }
        });
    }

    @Override
    public boolean removeMember(ConversationId id, UserId userId, Instant now) {
        requireNonNull(id, "id");
        requireNonNull(userId, "userId");
        requireNonNull(now, "now");
        Instant at = dialect.truncate(now);
        return call(() -> jdbi.inTransaction(h -> {
            long lastSeq = lockGroup(h, id);
            int removed = h.createUpdate(sql.render("DELETE FROM ${p}members WHERE conversation_id = :c AND user_id = :u"))
                    .bind("c", id.value())
                    .bind("u", userId.value())
                    .execute();
            if (removed == 0) {
                return false;
            }
            h.createUpdate(sql.render("UPDATE ${p}member_periods SET left_at = :at, left_seq = :seq"
                            + " WHERE conversation_id = :c AND user_id = :u AND left_at IS NULL"))
                    .bind("at", dialect.timestamp(at))
                    .bind("seq", lastSeq)
                    .bind("c", id.value())
                    .bind("u", userId.value())
                    .execute();
            return true;
        }));
    }

    /** Takes a group's row lock, the one appends take; answers its last {@code seq}. */
    private long lockGroup(Handle h, ConversationId id) {
        Map.Entry<String, Long> row = h.createQuery(sql.render(
                        "SELECT kind, last_seq FROM ${p}conversations WHERE id = :c" + dialect.forUpdate()))
                .bind("c", id.value())
                .map((rs, ctx) -> Map.entry(rs.getString("kind"), rs.getLong("last_seq")))
                .findOne()
                .orElseThrow(() -> NotFoundException.conversation());
        if (ConversationKind.valueOf(row.getKey()) != ConversationKind.GROUP) {
            throw new IllegalArgumentException("members are added to and removed from groups only");
        }
        return row.getValue();
    }

    @Override
    public List<MembershipPeriod> membershipHistory(ConversationId id) {
        requireNonNull(id, "id");
        return call(() -> jdbi.withHandle(h -> h.createQuery(sql.render(
                        "SELECT user_id, joined_at, joined_seq, left_at, left_seq FROM ${p}member_periods"
                                + " WHERE conversation_id = :c ORDER BY joined_seq, joined_at, user_id, period"))
                .bind("c", id.value())
                .map((rs, ctx) -> {
                    long leftSeq = rs.getLong("left_seq");
                    Long left = rs.wasNull() ? null : leftSeq;
                    return new MembershipPeriod(id, UserId.of(rs.getString("user_id")),
                            Rows.instant(rs, "joined_at"), rs.getLong("joined_seq"),
                            Rows.nullableInstant(rs, "left_at"), left);
                })
                .list()));
    }

    private Optional<Conversation> findByDirectKey(Handle h, String directKey) {
        return h.createQuery(sql.render(
                        "SELECT id, kind, created_at, title FROM ${p}conversations WHERE direct_key = :k"))
                .bind("k", directKey)
                .map((rs, ctx) -> new ConversationHead(
                        ConversationId.of(rs.getString("id")),
                        ConversationKind.valueOf(rs.getString("kind")),
                        Rows.instant(rs, "created_at"),
                        rs.getString("title")))
                .findOne()
                .map(head -> head.with(memberIds(h, List.of(head.id())).get(head.id())));
    }

    @Override
    public Optional<Conversation> find(ConversationId id) {
        requireNonNull(id, "id");
        return call(() -> jdbi.withHandle(h -> h.createQuery(sql.render(
                        "SELECT id, kind, created_at, title FROM ${p}conversations WHERE id = :id"))
                .bind("id", id.value())
                .map((rs, ctx) -> new ConversationHead(
                        id, ConversationKind.valueOf(rs.getString("kind")), Rows.instant(rs, "created_at"),
                        rs.getString("title")))
                .findOne()
                .map(head -> head.with(memberIds(h, List.of(id)).get(id)))));
    }

    @Override
    public Optional<MemberState> member(ConversationId id, UserId userId) {
        requireNonNull(id, "id");
        requireNonNull(userId, "userId");
        return call(() -> jdbi.withHandle(h -> h.createQuery(sql.render("SELECT " + Rows.MEMBER_COLUMNS
                        + " FROM ${p}members WHERE conversation_id = :c AND user_id = :u"))
                .bind("c", id.value())
                .bind("u", userId.value())
                .map(Rows.MEMBER)
                .findOne()));
    }

    @Override
    public List<MemberState> members(ConversationId id) {
        requireNonNull(id, "id");
        return call(() -> jdbi.withHandle(h -> h.createQuery(sql.render("SELECT " + Rows.MEMBER_COLUMNS
                        + " FROM ${p}members WHERE conversation_id = :c ORDER BY join_order"))
                .bind("c", id.value())
                .map(Rows.MEMBER)
                .list()));
    }

    @Override
    public List<ConversationSummary> listFor(UserId userId, int limit) {
        requireNonNull(userId, "userId");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        return call(() -> jdbi.withHandle(h -> {
            List<SummaryRow> rows = h.createQuery(sql.render(
                            "SELECT c.id, c.kind, c.last_seq, c.last_message_at, c.created_at, c.title,"
                                    + " m.conversation_id, m.user_id, m.delivered_seq, m.read_seq, m.unread,"
                                    + " m.joined_seq"
                                    + " FROM ${p}members m JOIN ${p}conversations c ON c.id = m.conversation_id"
                                    + " WHERE m.user_id = :u"
                                    + " ORDER BY COALESCE(c.last_message_at, c.created_at) DESC, c.id"
                                    + dialect.limit(":limit")))
                    .bind("u", userId.value())
                    .bind("limit", limit)
                    .map((rs, ctx) -> new SummaryRow(
                            new ConversationHead(
                                    ConversationId.of(rs.getString("id")),
                                    ConversationKind.valueOf(rs.getString("kind")),
                                    Rows.instant(rs, "created_at"),
                                    rs.getString("title")),
                            rs.getLong("last_seq"),
                            Rows.nullableInstant(rs, "last_message_at"),
                            Rows.member(rs)))
                    .list();
            Map<ConversationId, List<MemberState>> members =
                    memberStates(h, rows.stream().map(r -> r.head().id()).toList());
            List<ConversationSummary> summaries = new ArrayList<>(rows.size());
            for (SummaryRow row : rows) {
                List<MemberState> states = members.getOrDefault(row.head().id(), List.of());
                summaries.add(new ConversationSummary(
                        row.head().with(states.stream().map(MemberState::userId).toList()), row.lastSeq(),
                        row.lastMessageAt(), row.self(), states));
            }
            return summaries;
        }));
    }

    /** Every member's state of several conversations, in join order, with one query. */
    private Map<ConversationId, List<MemberState>> memberStates(Handle h, List<ConversationId> ids) {
        Map<ConversationId, List<MemberState>> members = new HashMap<>();
        if (ids.isEmpty()) {
            return members;
        }
        Query query = h.createQuery(sql.render("SELECT " + Rows.MEMBER_COLUMNS + " FROM ${p}members"
                + " WHERE conversation_id IN (" + SqlTemplates.parameterList("c", ids.size()) + ")"
                + " ORDER BY conversation_id, join_order"));
        for (int i = 0; i < ids.size(); i++) {
            query.bind("c" + i, ids.get(i).value());
        }
        query.map(Rows.MEMBER)
                .forEach(m -> members.computeIfAbsent(m.conversationId(), k -> new ArrayList<>()).add(m));
        return members;
    }

    private Map<ConversationId, List<UserId>> memberIds(Handle h, List<ConversationId> ids) {
        Map<ConversationId, List<UserId>> members = new HashMap<>();
        if (ids.isEmpty()) {
            return members;
        }
        Query query = h.createQuery(sql.render("SELECT conversation_id, user_id FROM ${p}members"
                + " WHERE conversation_id IN (" + SqlTemplates.parameterList("c", ids.size()) + ")"
                + " ORDER BY conversation_id, join_order"));
        for (int i = 0; i < ids.size(); i++) {
            query.bind("c" + i, ids.get(i).value());
        }
        query.map((rs, ctx) -> Map.entry(
                        ConversationId.of(rs.getString("conversation_id")), UserId.of(rs.getString("user_id"))))
                .forEach(e -> members.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return members;
    }

    /**
     * The key that makes a direct conversation unique per pair, whatever the order of the two.
     *
     * @param a one user
     * @param b the other
     * @return the smaller id, a colon, the larger id, with colons and backslashes in ids escaped
     *     ({@link UserId#pairKey})
     */
    static String directKey(UserId a, UserId b) {
        return UserId.pairKey(a, b);
    }

    /** A conversation's row without its members. */
    private record ConversationHead(ConversationId id, ConversationKind kind, Instant createdAt,
            @Nullable String title) {
        Conversation with(@Nullable List<UserId> memberIds) {
            return new Conversation(id, kind, memberIds == null ? List.of() : memberIds, createdAt, title);
        }
    }

    /** One row of a user's conversation list. */
    private record SummaryRow(
            ConversationHead head, long lastSeq, @Nullable Instant lastMessageAt, MemberState self) {}
}
