package io.carechat.messaging.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.carechat.messaging.jdbc.internal.Dialect;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Each database against the dialect chosen for it: the choice from the connection's metadata,
 * the SQL states it really reports for violations, and the time precision it really keeps.
 */
@EachDatabase
@DisplayName("The dialect chosen for the database")
class DialectOnEachDatabaseTest {
    private final DatabaseUnderTest databaseUnderTest;
    private StorageOnDatabase opened;
    private Dialect dialect;

    DialectOnEachDatabaseTest(DatabaseUnderTest databaseUnderTest) {
        this.databaseUnderTest = databaseUnderTest;
    }

    @BeforeEach
    void open() throws SQLException {
        opened = StorageOnDatabase.open(databaseUnderTest);
        try (Connection c = opened.database().dataSource().getConnection()) {
            dialect = Dialect.of(c);
        }
    }

    @AfterEach
    void close() {
        if (opened != null) {
            opened.close();
        }
    }

    @Test
    @DisplayName("is the one for this database, found from the connection's metadata")
    void isThisDatabasesDialect() {
        assertThat(dialect.productName()).isEqualTo(databaseUnderTest.displayName());
    }

    @Test
    @DisplayName("tells the database's own unique violation and foreign key violation apart")
    void readsTheDatabasesViolations() throws SQLException {
        String holds = databaseUnderTest.tablePrefix() + "legal_holds";
        String hold = "INSERT INTO " + holds + " (id, target, subject_id, placed_by, placed_at)"
                + " VALUES ('hold-1', 'USER', 'u-1', 'admin-1', CURRENT_TIMESTAMP)";
        execute(hold);
        Throwable duplicate = catchThrowable(() -> execute(hold));
        Throwable orphan = catchThrowable(() -> execute("INSERT INTO "
                + databaseUnderTest.tablePrefix() + "members"
                + " (conversation_id, user_id, join_order, delivered_seq, read_seq, unread)"
                + " VALUES ('no-such-conversation', 'no-such-user', 0, 0, 0, 0)"));

        assertThat(duplicate).as("the second insert of one key").isInstanceOf(SQLException.class);
        assertThat(orphan).as("a member of no conversation").isInstanceOf(SQLException.class);
        assertThat(dialect.isUniqueViolation(duplicate)).as("duplicate key: %s", duplicate).isTrue();
        assertThat(dialect.isForeignKeyViolation(duplicate)).isFalse();
        assertThat(dialect.isForeignKeyViolation(orphan)).as("missing parent: %s", orphan).isTrue();
        assertThat(dialect.isUniqueViolation(orphan)).isFalse();
    }

    @Test
    @DisplayName("keeps times exactly to its precision: a stored time reads back as the store returned it")
    void keepsTimesToItsPrecision() {
        Instant created = Instant.parse("2026-01-05T08:00:00.123456789Z");
        User stored = opened.storage().users().create(new User(UserId.random(), "precise", "precise@example.org",
                "Precise", Set.of(Role.PATIENT), true, created), "hash");

        assertThat(stored.createdAt()).isEqualTo(dialect.truncate(created)).isNotEqualTo(created);
        assertThat(opened.storage().users().find(stored.id()).orElseThrow().createdAt())
                .isEqualTo(stored.createdAt());
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = opened.database().dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }
}
