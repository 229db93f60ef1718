package io.carechat.messaging.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.carechat.messaging.Messaging;
import io.carechat.messaging.crypto.StaticKeyProvider;
import io.carechat.messaging.error.IntegrityException;
import io.carechat.messaging.memory.InMemoryEventBus;
import io.carechat.messaging.model.AttachmentRef;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.SendRequest;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AuditQuery;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Message bodies are stored sealed; tampering by hand SQL is refused and audited. For each database. */
@EachDatabase
@DisplayName("Encryption at rest")
class EncryptionAtRestTest {
    static final String MARKER_1 = "CANARY-BODY-7f3a9c";
    static final String MARKER_2 = "CANARY-BODY-2b8e41";

    private TestDatabase database;
    private JdbcStorage storage;
    private InMemoryEventBus bus;
    private Messaging messaging;
    private User doctor;
    private Conversation chat;

    private final DatabaseUnderTest databaseUnderTest;

    @TempDir
    Path dir;

    EncryptionAtRestTest(DatabaseUnderTest databaseUnderTest) {
        this.databaseUnderTest = databaseUnderTest;
    }

    /** A fresh database that keeps its data on disk, so its files can be read. */
    private TestDatabase createDatabase() {
        return databaseUnderTest.openOnDisk(dir);
    }

    private String prefix() {
        return databaseUnderTest.tablePrefix();
    }

    /** Every value in every table, as text; H2 adds its own SQL script. */
    List<String> rawDump(Connection c) throws SQLException {
        List<String> values = new ArrayList<>();
        List<String> tables = new ArrayList<>();
        try (ResultSet rs = c.getMetaData().getTables(null, c.getSchema(), "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                tables.add(rs.getString("TABLE_NAME"));
            }
        }
        assertThat(tables).as("the dump sees CareChat's tables").anyMatch(t -> t.equalsIgnoreCase(prefix() + "messages"));
        try (Statement s = c.createStatement()) {
            for (String table : tables) {
                try (ResultSet rs = s.executeQuery("SELECT * FROM \"" + table + "\"")) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= columns; i++) {
                            values.add(String.valueOf(rs.getString(i)));
                        }
                    }
                }
            }
        }
        return values;
    }

    @BeforeEach
    void start() {
        database = createDatabase();
        storage = JdbcStorage.builder(database.dataSource()).tablePrefix(prefix()).build();
        bus = new InMemoryEventBus();
        messaging = Messaging.builder().storage(storage).eventBus(bus).auditSink(storage.auditTrail())
                .keyProvider(StaticKeyProvider.generate("k1")).attachmentStore(storage.attachments()).build();
        doctor = user("doc", Role.DOCTOR);
        User patient = user("pat", Role.PATIENT);
        chat = messaging.openDirect(Caller.of(doctor), patient.id());
        messaging.send(Caller.of(doctor), SendRequest.text(chat.id(), "m1", MARKER_1));
        messaging.send(Caller.of(doctor), SendRequest.text(chat.id(), "m2", MARKER_2));
    }

    /** Closes what {@code start} opened; nothing when the database was missing and the test skipped. */
    @AfterEach
    void stop() {
        if (messaging != null) {
            messaging.close();
        }
        if (bus != null) {
            bus.close();
        }
        if (storage != null) {
            storage.close();
        }
        if (database != null) {
            database.close();
        }
    }

    private User user(String name, Role role) {
        return storage.users().create(new User(UserId.random(), name, name + "@example.org", name, Set.of(role),
                true, Instant.parse("2026-01-01T00:00:00Z")), "hash");
    }

    private void sql(String statement) throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate(statement);
        }
    }

    @Test
    @DisplayName("bodies read back in plain text through the facade, but no table holds them")
    void storedSealed() throws SQLException {
        assertThat(messaging.history(Caller.of(doctor), chat.id(), null, null).messages())
                .extracting(m -> m.body()).containsExactly(MARKER_1, MARKER_2);
        try (Connection c = database.dataSource().getConnection()) {
            assertThat(String.join("\n", rawDump(c))).doesNotContain("CANARY-BODY");
        }
    }

    @Test
    @DisplayName("bodies swapped between two rows by hand SQL are refused with an integrity error and audited")
    void rowSwap() throws SQLException {
        String messages = prefix() + "messages";
        sql("UPDATE " + messages + " SET seq = -1 WHERE seq = 1");
        sql("UPDATE " + messages + " SET body = (SELECT body FROM " + messages + " WHERE seq = 2) WHERE seq = -1");
        sql("UPDATE " + messages + " SET seq = 1 WHERE seq = -1");
        assertThatThrownBy(() -> messaging.history(Caller.of(doctor), chat.id(), null, null))
                .isInstanceOf(IntegrityException.class)
                .message().doesNotContain("CANARY");
        assertThat(storage.auditTrail().query(AuditQuery.between(null, null, 100)))
                .filteredOn(r -> r.event().action().equals("integrity.failure")).hasSize(1);
    }

    @Test
    @DisplayName("a body edited by hand SQL is refused with an integrity error, never returned garbled")
    void editedBody() throws SQLException {
        String messages = prefix() + "messages";
        sql("UPDATE " + messages + " SET body = CONCAT(SUBSTRING(body, 1, 20), 'AAAA', SUBSTRING(body, 25)) WHERE seq = 2");
        assertThatThrownBy(() -> messaging.backlog(Caller.of(doctor), chat.id()))
                .isInstanceOf(IntegrityException.class);
    }

    @Test
    @DisplayName("attachment content swapped between two rows by hand SQL is refused with an integrity error")
    void attachmentSwap() throws SQLException {
        AttachmentRef first = messaging.uploadAttachment(Caller.of(doctor), "a.pdf", null,
                new ByteArrayInputStream("%PDF-1.4 first %%EOF".getBytes(StandardCharsets.US_ASCII)));
        AttachmentRef second = messaging.uploadAttachment(Caller.of(doctor), "b.pdf", null,
                new ByteArrayInputStream("%PDF-1.4 second %%EOF".getBytes(StandardCharsets.US_ASCII)));
        assertThat(messaging.downloadAttachment(Caller.of(doctor), first.id()).content())
                .asString(StandardCharsets.US_ASCII).contains("first");
        String attachments = prefix() + "attachments";
        sql("UPDATE " + attachments + " SET content = (SELECT content FROM " + attachments + " WHERE id = '"
                + second.id().value() + "') WHERE id = '" + first.id().value() + "'");
        assertThatThrownBy(() -> messaging.downloadAttachment(Caller.of(doctor), first.id()))
                .isInstanceOf(IntegrityException.class);
        assertThat(messaging.downloadAttachment(Caller.of(doctor), second.id()).content())
                .asString(StandardCharsets.US_ASCII).contains("second");
    }

    @Test
    @DisplayName("neither H2's SQL script of the database nor the bytes of its file hold a body")
    void scriptAndFile() throws Exception {
        assumeTrue(databaseUnderTest == DatabaseUnderTest.H2, "only H2 has a SQL script and files the test can read");
        StringBuilder script = new StringBuilder();
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SCRIPT")) {
            while (rs.next()) {
                script.append(rs.getString(1)).append('\n');
            }
        }
        assertThat(script).contains("INSERT INTO").doesNotContain("CANARY-BODY");
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> all = files.toList();
            assertThat(all).isNotEmpty();
            for (Path file : all) {
                assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).doesNotContain("CANARY-BODY");
            }
        }
    }
}
