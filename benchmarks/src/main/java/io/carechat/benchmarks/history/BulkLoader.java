package io.carechat.benchmarks.history;

import io.carechat.messaging.crypto.FieldCipher;
import io.carechat.messaging.crypto.MessageFields;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.MessageId;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.KeyProvider;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Loads users, direct conversations, memberships and messages into a migrated CareChat schema on
 * PostgreSQL with {@code COPY} (pgjdbc's {@code CopyManager}), as the product stores them: every
 * message body sealed by the product's own {@link MessageFields} under the benchmark's key,
 * conversations' last {@code seq} and time, members' delivered and read positions and unread
 * counters consistent with the messages. Foreign-key triggers are skipped during {@code COPY}
 * ({@code session_replication_role = replica}): the rows are consistent by construction.
 *
 * <p>Messages are loaded in rounds, one message per conversation per round, senders alternating
 * between patient and doctor, so the table's physical order interleaves conversations as time
 * does. Not thread-safe: one loader per database, used from one thread.
 */
final class BulkLoader {
    /** The password hash of every loaded account: no one logs in. */
    static final String NO_LOGIN = "{benchmark-no-login}";
    private static final int FLUSH_BYTES = 1 << 20;
    private static final int ROWS_PER_COPY = 500_000;

    private final DataSource dataSource;
    private final MessageFields fields;
    private final int bodyChars;
    private final Instant epoch;
    private int rounds;

    /**
     * @param dataSource the database, migrated
     * @param keys the key provider the measured {@code Messaging} uses, so loaded bodies open
     * @param bodyChars length of each plaintext body
     */
    BulkLoader(DataSource dataSource, KeyProvider keys, int bodyChars) {
        this.dataSource = dataSource;
        this.fields = new MessageFields(new FieldCipher(keys));
        this.bodyChars = bodyChars;
        this.epoch = Instant.now().minus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS);
    }

    /**
     * Loads the accounts, conversations, members and membership periods.
     *
     * @param conversations how many direct conversations (one patient each)
     * @param conversationsPerDoctor how many of them each doctor is in
     * @return who was loaded
     */
    Population loadPopulation(int conversations, int conversationsPerDoctor) throws SQLException {
        int doctorCount = Math.max(1, conversations / conversationsPerDoctor);
        List<User> doctors = new ArrayList<>();
        List<User> patients = new ArrayList<>();
        List<ConversationId> chats = new ArrayList<>();
        for (int d = 0; d < doctorCount; d++) {
            doctors.add(user(String.format(Locale.ROOT, "doctor-%05d", d), Role.DOCTOR));
        }
        for (int p = 0; p < conversations; p++) {
            patients.add(user(String.format(Locale.ROOT, "patient-%06d", p), Role.PATIENT));
            chats.add(ConversationId.random());
        }
        Population population = new Population(doctors, patients, chats);
        loading(c -> {
            try (Copy users = new Copy(c, "COPY users (id, username, username_lower, email, email_lower,"
                    + " display_name, roles, enabled, password_hash, created_at) FROM STDIN")) {
                for (User u : doctors) {
                    users.row(userRow(u));
                }
                for (User u : patients) {
                    users.row(userRow(u));
                }
            }
            try (Copy rows = new Copy(c, "COPY conversations (id, kind, direct_key, last_seq, last_message_at,"
                    + " created_at, title) FROM STDIN")) {
                for (int i = 0; i < conversations; i++) {
                    rows.row(chats.get(i).value(), "DIRECT",
                            UserId.pairKey(patients.get(i).id(), population.doctorOf(i).id()), "0", null,
                            time(epoch), null);
                }
            }
            try (Copy members = new Copy(c, "COPY members (conversation_id, user_id, join_order, delivered_seq,"
                    + " read_seq, unread, joined_seq) FROM STDIN")) {
                for (int i = 0; i < conversations; i++) {
                    members.row(chats.get(i).value(), patients.get(i).id().value(), "0", "0", "0", "0", "0");
                    members.row(chats.get(i).value(), population.doctorOf(i).id().value(), "1", "0", "0", "0", "0");
                }
            }
            try (Copy periods = new Copy(c, "COPY member_periods (conversation_id, user_id, period, joined_at,"
                    + " joined_seq, left_at, left_seq) FROM STDIN")) {
                for (int i = 0; i < conversations; i++) {
                    periods.row(chats.get(i).value(), patients.get(i).id().value(), "1", time(epoch), "0", null, null);
                    periods.row(chats.get(i).value(), population.doctorOf(i).id().value(), "1", time(epoch), "0",
                            null, null);
                }
            }
        });
        return population;
    }

    /**
     * Adds {@code perConversation} messages to every conversation after its current last
     * {@code seq} (messages sent through the product in between are kept), then brings the
     * conversations' heads and the members' positions and unread counters up to date.
     *
     * @param population who talks
     * @param perConversation messages to add to each conversation
     * @return how many messages were added
     */
    long loadMessages(Population population, int perConversation) throws SQLException {
        List<ConversationId> chats = population.conversations();
        Map<String, Long> lastSeq = lastSeqs();
        long[] seqs = new long[chats.size()];
        for (int i = 0; i < seqs.length; i++) {
            seqs[i] = lastSeq.getOrDefault(chats.get(i).value(), 0L);
        }
        long[] added = {0};
        loading(c -> {
            Copy copy = null;
            try {
                for (int r = 0; r < perConversation; r++) {
                    rounds++;
                    for (int i = 0; i < chats.size(); i++) {
                        if (copy == null) {
                            copy = new Copy(c, "COPY messages (id, conversation_id, seq, sender_id, client_msg_id,"
                                    + " body, priority, sent_at, attachments) FROM STDIN");
                        }
                        seqs[i]++;
                        UserId sender = (seqs[i] % 2 == 1 ? population.patients().get(i) : population.doctorOf(i)).id();
                        Instant sentAt = epoch.plus(Duration.ofSeconds(rounds * 10L)).plusNanos(i * 1_000L);
                        Message sealed = fields.seal(new Message(MessageId.timeOrdered(), chats.get(i), seqs[i], sender,
                                body(i, seqs[i]), Priority.NORMAL, sentAt, "bulk-" + i + "-" + seqs[i], List.of()));
                        copy.row(sealed.id().value(), sealed.conversationId().value(), Long.toString(sealed.seq()),
                                sender.value(), sealed.clientMsgId(), sealed.body(), Priority.NORMAL.name(),
                                time(sentAt), "[]");
                        added[0]++;
                        if (added[0] % ROWS_PER_COPY == 0) {
                            copy.close();
                            copy = null;
                        }
                    }
                }
            } finally {
                if (copy != null) {
                    copy.close();
                }
            }
            Instant lastAt = epoch.plus(Duration.ofSeconds(rounds * 10L));
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TEMPORARY TABLE loaded_heads (id VARCHAR(64) PRIMARY KEY, last_seq BIGINT NOT NULL,"
                        + " last_at TIMESTAMP WITH TIME ZONE NOT NULL)");
            }
            try (Copy heads = new Copy(c, "COPY loaded_heads (id, last_seq, last_at) FROM STDIN")) {
                for (int i = 0; i < chats.size(); i++) {
                    heads.row(chats.get(i).value(), Long.toString(seqs[i]), time(lastAt.plusNanos(i * 1_000L)));
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("UPDATE conversations c SET last_seq = h.last_seq,"
                        + " last_message_at = GREATEST(c.last_message_at, h.last_at) FROM loaded_heads h WHERE c.id = h.id");
                s.execute("DROP TABLE loaded_heads");
                // Patients have read all but up to 2 of their conversation's messages, doctors all but up to 6.
                s.execute("UPDATE members m SET delivered_seq = c.last_seq,"
                        + " read_seq = GREATEST(m.read_seq, c.last_seq - c.last_seq % (CASE WHEN m.join_order = 0 THEN 3 ELSE 7 END))"
                        + " FROM conversations c WHERE c.id = m.conversation_id");
                s.execute("UPDATE members m SET unread = (SELECT COUNT(*) FROM messages x WHERE"
                        + " x.conversation_id = m.conversation_id AND x.seq > m.read_seq AND x.sender_id <> m.user_id)");
            }
        });
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("VACUUM (ANALYZE)");
        }
        return added[0];
    }

    /**
     * Counts the rows of the loaded tables.
     *
     * @return rows per table: users, conversations, members, messages
     */
    Map<String, Long> counts() throws SQLException {
        Map<String, Long> counts = new java.util.LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String table : List.of("users", "conversations", "members", "messages")) {
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
                    rs.next();
                    counts.put(table, rs.getLong(1));
                }
            }
        }
        return counts;
    }

    private Map<String, Long> lastSeqs() throws SQLException {
        Map<String, Long> seqs = new HashMap<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, last_seq FROM conversations")) {
            while (rs.next()) {
                seqs.put(rs.getString(1), rs.getLong(2));
            }
        }
        return seqs;
    }

    /** Runs {@code work} on a connection that skips foreign-key triggers, then puts its settings back. */
    private void loading(Work work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("SET session_replication_role = replica");
                s.execute("SET synchronous_commit = off");
            }
            try {
                work.run(c);
            } finally {
                try (Statement s = c.createStatement()) {
                    s.execute("RESET session_replication_role");
                    s.execute("RESET synchronous_commit");
                }
            }
        }
    }

    /** Loading work on one connection. */
    @FunctionalInterface
    private interface Work {
        void run(Connection c) throws SQLException;
    }

    private String body(int conversation, long seq) {
        String text = "Loaded message " + seq + " of conversation " + conversation + ".";
        return text.length() >= bodyChars ? text : text + " " + "x".repeat(bodyChars - text.length() - 1);
    }

    private User user(String name, Role role) {
        return new User(UserId.of(name), name, name + "@history.invalid", name.replace('-', ' '), Set.of(role), true,
                epoch);
    }

    private static String[] userRow(User u) {
        String role = u.roles().iterator().next().name();
        return new String[] {u.id().value(), u.username(), u.username(), u.email(), u.email(), u.displayName(),
            "," + role + ",", "true", NO_LOGIN, time(u.createdAt())};
    }

    private static String time(Instant instant) {
        return instant.toString();
    }

    /**
     * One {@code COPY ... FROM STDIN} in PostgreSQL's text format, buffered. Not thread-safe.
     * Lifecycle: open, {@link #row} each row, close to finish (and commit, in autocommit).
     */
    private static final class Copy implements AutoCloseable {
        private final CopyIn in;
        private final StringBuilder buffer = new StringBuilder(FLUSH_BYTES + 4096);

        Copy(Connection c, String sql) throws SQLException {
            this.in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
        }

        void row(String... columns) throws SQLException {
            for (int i = 0; i < columns.length; i++) {
                if (i > 0) {
                    buffer.append('\t');
                }
                escape(columns[i]);
            }
            buffer.append('\n');
            if (buffer.length() >= FLUSH_BYTES) {
                flush();
            }
        }

        private void escape(String value) {
            if (value == null) {
                buffer.append("\\N");
                return;
            }
            for (int i = 0; i < value.length(); i++) {
                char ch = value.charAt(i);
                switch (ch) {
                    case '\\' -> buffer.append("\\\\");
                    case '\t' -> buffer.append("\\t");
                    case '\n' -> buffer.append("\\n");
                    case '\r' -> buffer.append("\\r");
                    default -> buffer.append(ch);
                }
            }
        }

        private void flush() throws SQLException {
            byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
            in.writeToCopy(bytes, 0, bytes.length);
            buffer.setLength(0);
        }

        @Override
        public void close() throws SQLException {
            flush();
            in.endCopy();
        }
    }
}
