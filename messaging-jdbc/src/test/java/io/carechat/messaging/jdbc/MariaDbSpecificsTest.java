package io.carechat.messaging.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.jdbc.internal.Dialect;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TimeZone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What MariaDB's dialect and migration do that the other databases need not: times stored as UTC
 * whatever the zones, READ COMMITTED sessions, case-sensitive ids, a direct key longer than an
 * InnoDB index key, and the idempotency lookup through the two-column index. The storage kit runs
 * on MariaDB through {@link EachDatabase}; this adds what the kit cannot see. Skipped where no
 * MariaDB answers, unless {@code CARECHAT_REQUIRE_MARIADB=1}.
 */
@DisplayName("On MariaDB")
class MariaDbSpecificsTest {
    private static final String PREFIX = DatabaseUnderTest.MARIADB.tablePrefix();
    private StorageOnDatabase opened;

    @BeforeEach
    void open() {
        opened = StorageOnDatabase.open(DatabaseUnderTest.MARIADB);
    }

    @AfterEach
    void close() {
        if (opened != null) {
            opened.close();
        }
    }

    @Test
    @DisplayName("a time is stored as its UTC wall-clock time in DATETIME(6), whatever the JVM's and the session's time zones")
    void timesAreUtcDatetimes() throws SQLException {
        Instant created = Instant.parse("2026-07-05T23:30:00.123456Z");
        TimeZone jvmZone = TimeZone.getDefault();
        User stored;
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kolkata"));
            stored = opened.storage().users().create(new User(UserId.random(), "utc", "utc@example.org", "Utc",
                    Set.of(Role.PATIENT), true, created), "hash");
            assertThat(opened.storage().users().find(stored.id()).orElseThrow().createdAt()).isEqualTo(created);
        } finally {
            TimeZone.setDefault(jvmZone);
        }
        try (Connection c = opened.database().dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("SET time_zone = '+05:00'");
            try (ResultSet rs = s.executeQuery("SELECT DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%s.%f'),"
                    + " DATA_TYPE FROM " + PREFIX + "users, information_schema.columns"
                    + " WHERE table_schema = DATABASE() AND table_name = '" + PREFIX + "users'"
                    + " AND column_name = 'created_at' AND id = '" + stored.id().value() + "'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("2026-07-05 23:30:00.123456");
                assertThat(rs.getString(2)).isEqualTo("datetime");
            }
        }
        assertThat(opened.storage().users().find(stored.id()).orElseThrow().createdAt()).isEqualTo(created);
    }

    @Test
    @DisplayName("the storage's connections run at READ COMMITTED, though the server and the pool default to REPEATABLE READ")
    void sessionsAreReadCommitted() throws SQLException {
        Dialect dialect;
        try (Connection plain = opened.database().dataSource().getConnection()) {
            assertThat(isolation(plain)).as("the pool's own").isEqualTo("REPEATABLE-READ");
            dialect = Dialect.of(plain);
        }
        try (Connection session = dialect.sessions(opened.database().dataSource()).getConnection()) {
            assertThat(isolation(session)).isEqualTo("READ-COMMITTED");
        }
    }

    @Test
    @DisplayName("ids differing only in case are different users and conversations")
    void idsAreCaseSensitive() {
        UserId lower = UserId.of("case-user-" + "abc");
        UserId upper = UserId.of("case-user-" + "ABC");
        opened.storage().users().create(new User(lower, "lower", "lower@example.org", "Lower", Set.of(Role.PATIENT),
                true, Fixtures.T0), "hash");
        opened.storage().users().create(new User(upper, "upper", "upper@example.org", "Upper", Set.of(Role.PATIENT),
                true, Fixtures.T0), "hash");

        assertThat(opened.storage().users().find(lower).orElseThrow().username()).isEqualTo("lower");
        assertThat(opened.storage().users().find(upper).orElseThrow().username()).isEqualTo("upper");
    }

    @Test
    @DisplayName("two users with 255-character ids get one direct conversation, unique beyond InnoDB's key length")
    void longDirectKeysStayUnique() {
        List<UserId> ids = new ArrayList<>();
        for (String start : List.of("a", "b")) {
            UserId id = UserId.of(start + "\u00e9".repeat(254));
            opened.storage().users().create(new User(id, start + "-long", start + "-long@example.org", "Long",
                    Set.of(Role.PATIENT), true, Fixtures.T0), "hash");
            ids.add(id);
        }
        Conversation first = opened.storage().conversations().openDirect(ConversationId.random(), ids.get(0),
                ids.get(1), Fixtures.T0);
        Conversation again = opened.storage().conversations().openDirect(ConversationId.random(), ids.get(1),
                ids.get(0), Fixtures.T0);

        assertThat(again.id()).isEqualTo(first.id());
    }

    @Test
    @DisplayName("the idempotency lookup by (sender, clientMsgId) pairs reads through the unique two-column index")
    void idempotencyLookupUsesTheIndex() throws SQLException {
        try (Connection c = opened.database().dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("EXPLAIN SELECT m.id FROM " + PREFIX + "messages m"
                        + " WHERE (m.sender_id, m.client_msg_id) IN (('u1', 'k1'), ('u2', 'k2'))")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("key")).isEqualTo(PREFIX + "messages_client_msg_uq");
            assertThat(rs.getString("type")).isEqualTo("range");
        }
    }

    private static String isolation(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@tx_isolation")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
