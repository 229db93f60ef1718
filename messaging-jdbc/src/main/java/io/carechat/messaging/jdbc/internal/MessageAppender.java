package io.carechat.messaging.jdbc.internal;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.error.NotFoundException;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AppendResult;
import io.carechat.messaging.spi.NewMessage;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Writes a batch of messages inside the writer's transaction with a fixed number of statements,
 * whatever the batch's size: it locks the batch's conversations in one query (in id order, so two
 * writers on different nodes cannot deadlock), reads their members and the senders' stored keys
 * in one query each, assigns each conversation's next {@code seq} values in batch order, then
 * inserts the new messages and raises {@code last_seq} and the unread counters once per
 * conversation and member; a patient's urgent message ({@link NewMessage#escalateAt()} set) also
 * gets its row in {@code escalations}, by one more batch only when the batch holds one. Where the {@link Dialect}
 * {@linkplain Dialect#writesRowsAsArrays() writes rows as arrays} (PostgreSQL) those writes are one
 * statement binding each column as an array, so a batch costs four round trips whatever its size;
 * elsewhere (H2, in process; MariaDB) they are three JDBC batches. Each new message is sealed by its
 * {@link NewMessage#sealer()} once placed (CPU only, no statement). The statements that bind a set
 * of values take their shape from the {@link Dialect}. Not API. Immutable and thread-safe; the
 * connection it is handed is not.
 *
 * <p>Because the conversation rows stay locked until the transaction ends, {@code seq} is gapless
 * and in commit order, and a retry of the same key waits for the first write and then finds it:
 * the keys are read after the lock is taken.
 */
public final class MessageAppender {
    private static final String STORED_COLUMNS =
            Arrays.stream(Rows.MESSAGE_COLUMNS.split(", ")).map(c -> "m." + c).collect(Collectors.joining(", "));
    private static final String INSERT_INTO = "INSERT INTO ${p}messages"
            + " (id, conversation_id, seq, sender_id, client_msg_id, body, priority, sent_at, attachments)";
    private static final String INSERT = INSERT_INTO + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String ADVANCE_CONVERSATION =
            "UPDATE ${p}conversations SET last_seq = ?, last_message_at = ? WHERE id = ?";
    /** A patient's urgent message: its escalation, due at the time the facade gave. */
    private static final String SCHEDULE_ESCALATION = "INSERT INTO ${p}escalations"
            + " (conversation_id, seq, sender_id, due_at) VALUES (?, ?, ?, ?)";
    private static final String RAISE_UNREAD =
            "UPDATE ${p}members SET unread = unread + ? WHERE conversation_id = ? AND user_id = ?";

    private final Dialect dialect;
    /** A sender who is not a member: whether they hold a break-glass grant active at the message's time. */
    private static final String GRANT_SQL = "SELECT 1 FROM ${p}break_glass_grants WHERE conversation_id = ?"
            + " AND doctor_id = ? AND granted_at <= ? AND expires_at > ?";
    /**
     * Rows as arrays only: advances the conversations, raises the unread counters and inserts the
     * messages, in one statement.
     */
    private final String writeAsArraysSql;

    /**
     * Creates the appender.
     *
     * @param dialect what differs on the database: the batch's sets and rows are bound as arrays
     */
    public MessageAppender(Dialect dialect) {
        this.dialect = requireNonNull(dialect, "dialect");
        String text = dialect.arrayParameter("VARCHAR");
        String number = dialect.arrayParameter("BIGINT");
        String time = dialect.arrayParameter("TIMESTAMP WITH TIME ZONE");
        this.writeAsArraysSql = "WITH advanced AS (UPDATE ${p}conversations c"
                + " SET last_seq = b.last_seq, last_message_at = b.last_at"
                + " FROM UNNEST(" + text + ", " + number + ", " + time + ") AS b (id, last_seq, last_at)"
                + " WHERE c.id = b.id),"
                + " raised AS (UPDATE ${p}members m SET unread = m.unread + b.n"
                + " FROM UNNEST(" + text + ", " + text + ", " + number + ") AS b (conversation_id, user_id, n)"
                + " WHERE m.conversation_id = b.conversation_id AND m.user_id = b.user_id) "
                + INSERT_INTO + " SELECT * FROM UNNEST("
                + String.join(", ", text, text, number, text, text, text, text, time, text) + ")";
    }

    /** Locks the conversations of a set, in id order, so two writers on different nodes cannot deadlock. */
    private String lockConversationsSql(int size) {
        return "SELECT id, last_seq FROM ${p}conversations WHERE " + dialect.anyOf("id", size)
                + " ORDER BY id" + dialect.forUpdate();
    }

    private String membersSql(int size) {
        return "SELECT conversation_id, user_id FROM ${p}members WHERE " + dialect.anyOf("conversation_id", size);
    }

    /** Looks the batch's (sender, key) pairs up through the unique (sender_id, client_msg_id) index. */
    private String storedKeysSql(int size) {
        return "SELECT " + STORED_COLUMNS
                + " FROM " + dialect.rowsMatchingPairs("${p}messages", "m", "sender_id", "client_msg_id", size);
    }

    /** A sender's idempotency key. */
    private record SenderKey(UserId senderId, String clientMsgId) {}

    /**
     * What one message of a batch came to: a result, or the refusal of that message alone.
     *
     * @param result the stored message, when accepted
     * @param refusal why not, when refused
     */
    public record Outcome(@Nullable AppendResult result, @Nullable NotFoundException refusal) {
        static Outcome of(AppendResult result) {
            return new Outcome(result, null);
        }

        static Outcome refused() {
            return new Outcome(null, NotFoundException.conversation());
        }

        /**
         * Tells whether the store accepted the message, new or as a repeat.
         *
         * @return true unless refused
         */
        public boolean accepted() {
            return refusal == null;
        }
    }

    /**
     * Appends a batch, each message after the ones before it.
     *
     * @param c the writer's connection, inside a transaction the caller commits
     * @param batch the messages, in arrival order
     * @return one outcome per message, in the same order: the stored message and whether this
     *     batch created it, or a refusal when the conversation does not exist or the sender is not
     *     a member and holds no break-glass grant active at the message's {@code sentAt} (nothing
     *     is written for that message)
     * @throws SQLException if a statement fails; the caller rolls the transaction back
     */
    public List<Outcome> appendAll(WriterConnection c, List<NewMessage> batch) throws SQLException {
        Set<String> conversationIds = new TreeSet<>();
        Set<SenderKey> keys = new LinkedHashSet<>();
        for (NewMessage m : batch) {
            conversationIds.add(m.conversationId().value());
            keys.add(new SenderKey(m.senderId(), m.clientMsgId()));
        }
        Map<String, Long> lastSeq = lockConversations(c, conversationIds);
        Map<String, Set<String>> members = members(c, conversationIds);
        Map<SenderKey, Message> stored = storedKeys(c, keys);

        List<Outcome> outcomes = new ArrayList<>(batch.size());
        List<Message> created = new ArrayList<>();
        Map<Message, Instant> escalating = new HashMap<>();
        for (NewMessage m : batch) {
            String conversationId = m.conversationId().value();
            Long last = lastSeq.get(conversationId);
            if (last == null || !members.getOrDefault(conversationId, Set.of()).contains(m.senderId().value())
                    && !holdsGrant(c, m)) {
                outcomes.add(Outcome.refused());
                continue;
            }
            SenderKey key = new SenderKey(m.senderId(), m.clientMsgId());
            Message original = stored.get(key);
            if (original != null) {
                outcomes.add(Outcome.of(new AppendResult(original, false)));
                continue;
            }
            Message message = m.place(last + 1, dialect.truncate(m.sentAt()));
            lastSeq.put(conversationId, message.seq());
            stored.put(key, message);
            created.add(message);
            Instant escalateAt = m.escalateAt();
            if (escalateAt != null) {
                escalating.put(message, escalateAt);
            }
            outcomes.add(Outcome.of(new AppendResult(message, true)));
        }
        if (!created.isEmpty()) {
            Map<String, Message> newest = newestPerConversation(created);
            Map<ConversationMember, Long> raise = unreadRaises(created, members);
            if (dialect.writesRowsAsArrays()) {
                writeAsArrays(c, created, newest, raise);
            } else {
                insert(c, created);
                advanceConversations(c, newest);
                raiseUnread(c, raise);
            }
            if (!escalating.isEmpty()) {
                scheduleEscalations(c, escalating);
            }
        }
        return outcomes;
    }

    /** One row per urgent message of a patient, in this transaction; none for other messages. */
    private void scheduleEscalations(WriterConnection c, Map<Message, Instant> escalating) throws SQLException {
        PreparedStatement insert = c.prepare(SCHEDULE_ESCALATION);
        for (Map.Entry<Message, Instant> entry : escalating.entrySet()) {
            Message m = entry.getKey();
            insert.setString(1, m.conversationId().value());
            insert.setLong(2, m.seq());
            insert.setString(3, m.senderId().value());
            insert.setObject(4, dialect.timestamp(entry.getValue()));
            insert.addBatch();
        }
        insert.executeBatch();
    }

    private Map<String, Long> lockConversations(WriterConnection c, Set<String> ids) throws SQLException {
        PreparedStatement lock = c.prepare(lockConversationsSql(ids.size()));
        dialect.bindTexts(lock, 1, ids);
        Map<String, Long> lastSeq = new HashMap<>();
        try (ResultSet rs = lock.executeQuery()) {
            while (rs.next()) {
                lastSeq.put(rs.getString(1), rs.getLong(2));
            }
        }
        return lastSeq;
    }

    /** Asked only for a sender who is not a member, so members' sends cost no query. */
    private boolean holdsGrant(WriterConnection c, NewMessage m) throws SQLException {
        PreparedStatement query = c.prepare(GRANT_SQL);
        query.setString(1, m.conversationId().value());
        query.setString(2, m.senderId().value());
        query.setObject(3, dialect.timestamp(m.sentAt()));
        query.setObject(4, dialect.timestamp(m.sentAt()));
        try (ResultSet rs = query.executeQuery()) {
            return rs.next();
        }
    }

    private Map<String, Set<String>> members(WriterConnection c, Set<String> ids) throws SQLException {
        PreparedStatement query = c.prepare(membersSql(ids.size()));
        dialect.bindTexts(query, 1, ids);
        Map<String, Set<String>> members = new HashMap<>();
        try (ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                members.computeIfAbsent(rs.getString(1), k -> new HashSet<>()).add(rs.getString(2));
            }
        }
        return members;
    }

    /**
     * Tells whether messages this appender created are stored, by their senders' keys: after a
     * commit whose outcome is unknown (the connection was lost while committing), the writer asks
     * this on a new connection to learn whether the transaction committed.
     *
     * @param c a connection, outside the lost transaction
     * @param created messages of one batch that it created
     * @return whether the first of them is stored under its key with its own id (a batch commits
     *     whole or not at all, so one message tells for all)
     * @throws SQLException if the query fails
     */
    boolean isStored(WriterConnection c, List<Message> created) throws SQLException {
        Message first = created.get(0);
        Message stored = storedKeys(c, Set.of(new SenderKey(first.senderId(), first.clientMsgId())))
                .get(new SenderKey(first.senderId(), first.clientMsgId()));
        return stored != null && stored.id().equals(first.id());
    }

    /** The stored messages under the batch's keys, found through the unique index. */
    private Map<SenderKey, Message> storedKeys(WriterConnection c, Set<SenderKey> keys) throws SQLException {
        PreparedStatement query = c.prepare(storedKeysSql(keys.size()));
        dialect.bindPairs(query, 1, keys.stream().map(k -> k.senderId().value()).toList(),
                keys.stream().map(SenderKey::clientMsgId).toList());
        Map<SenderKey, Message> stored = new HashMap<>();
        try (ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                Message m = Rows.MESSAGE.map(rs, null);
                stored.put(new SenderKey(m.senderId(), m.clientMsgId()), m);
            }
        }
        return stored;
    }

    private void insert(WriterConnection c, List<Message> created) throws SQLException {
        PreparedStatement insert = c.prepare(INSERT);
        for (Message m : created) {
            insert.setString(1, m.id().value());
            insert.setString(2, m.conversationId().value());
            insert.setLong(3, m.seq());
            insert.setString(4, m.senderId().value());
            insert.setString(5, m.clientMsgId());
            insert.setString(6, m.body());
            insert.setString(7, m.priority().name());
            insert.setObject(8, dialect.timestamp(m.sentAt()));
            insert.setString(9, AttachmentsJson.write(m.attachments()));
            insert.addBatch();
        }
        insert.executeBatch();
    }

    /** The last new message of each conversation, in id order: its seq and time advance the row. */
    private static Map<String, Message> newestPerConversation(List<Message> created) {
        Map<String, Message> newest = new TreeMap<>();
        for (Message m : created) {
            newest.put(m.conversationId().value(), m);
        }
        return newest;
    }

    private void advanceConversations(WriterConnection c, Map<String, Message> newest) throws SQLException {
        PreparedStatement advance = c.prepare(ADVANCE_CONVERSATION);
        for (Message m : newest.values()) {
            advance.setLong(1, m.seq());
            advance.setObject(2, dialect.timestamp(m.sentAt()));
            advance.setString(3, m.conversationId().value());
            advance.addBatch();
        }
        advance.executeBatch();
    }

    /**
     * Every member but the sender gains one unread per message.
     *
     * @return the raise per member row, in key order so that updates lock member rows in one
     *     order on every node
     */
    private static Map<ConversationMember, Long> unreadRaises(List<Message> created,
            Map<String, Set<String>> members) {
        Map<ConversationMember, Long> raise = new TreeMap<>();
        for (Message m : created) {
            String conversationId = m.conversationId().value();
            for (String member : members.get(conversationId)) {
                if (!member.equals(m.senderId().value())) {
                    raise.merge(new ConversationMember(conversationId, member), 1L, Long::sum);
                }
            }
        }
        return raise;
    }

    /** One update per member row, as a JDBC batch. */
    private static void raiseUnread(WriterConnection c, Map<ConversationMember, Long> raise) throws SQLException {
        if (raise.isEmpty()) {
            return;
        }
        PreparedStatement update = c.prepare(RAISE_UNREAD);
        for (Map.Entry<ConversationMember, Long> entry : raise.entrySet()) {
            update.setLong(1, entry.getValue());
            update.setString(2, entry.getKey().conversationId());
            update.setString(3, entry.getKey().userId());
            update.addBatch();
        }
        update.executeBatch();
    }

    /** The conversations, the unread counters and the messages, in one statement binding arrays. */
    private void writeAsArrays(WriterConnection c, List<Message> created, Map<String, Message> newest,
            Map<ConversationMember, Long> raise) throws SQLException {
        Connection connection = c.connection();
        PreparedStatement write = c.prepare(writeAsArraysSql);
        int p = 0;
        write.setArray(++p, texts(connection, newest.keySet(), id -> id));
        write.setArray(++p, dialect.array(connection, newest.values().stream().map(Message::seq).toArray(Long[]::new)));
        write.setArray(++p, texts(connection, newest.values(), m -> dialect.isoTime(m.sentAt())));
        write.setArray(++p, texts(connection, raise.keySet(), ConversationMember::conversationId));
        write.setArray(++p, texts(connection, raise.keySet(), ConversationMember::userId));
        write.setArray(++p, dialect.array(connection, raise.values().toArray(Long[]::new)));
        write.setArray(++p, texts(connection, created, m -> m.id().value()));
        write.setArray(++p, texts(connection, created, m -> m.conversationId().value()));
        write.setArray(++p, dialect.array(connection, created.stream().map(Message::seq).toArray(Long[]::new)));
        write.setArray(++p, texts(connection, created, m -> m.senderId().value()));
        write.setArray(++p, texts(connection, created, Message::clientMsgId));
        write.setArray(++p, texts(connection, created, Message::body));
        write.setArray(++p, texts(connection, created, m -> m.priority().name()));
        write.setArray(++p, texts(connection, created, m -> dialect.isoTime(m.sentAt())));
        write.setArray(++p, texts(connection, created, m -> AttachmentsJson.write(m.attachments())));
        write.executeUpdate();
    }

    private <T> Array texts(Connection connection, Collection<T> rows, Function<T, String> column)
            throws SQLException {
        return dialect.array(connection, rows.stream().map(column).toArray(String[]::new));
    }

    /** A member row's key, ordered so that updates lock member rows in one order on every node. */
    private record ConversationMember(String conversationId, String userId) implements Comparable<ConversationMember> {
        @Override
        public int compareTo(ConversationMember other) {
            int byConversation = conversationId.compareTo(other.conversationId);
            return byConversation != 0 ? byConversation : userId.compareTo(other.userId);
        }
    }
}
