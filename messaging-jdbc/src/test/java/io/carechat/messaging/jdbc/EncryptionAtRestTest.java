package io.carechat.messaging.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.carechat.messaging.Messaging;
import io.carechat.messaging.auth.PasswordHasher;
import io.carechat.messaging.auth.TokenSettings;
import io.carechat.messaging.crypto.FieldCipher;
import io.carechat.messaging.crypto.KeyRotationJob;
import io.carechat.messaging.crypto.SealedText;
import io.carechat.messaging.crypto.StaticKeyProvider;
import io.carechat.messaging.error.IntegrityException;
import io.carechat.messaging.jdbc.internal.AttachmentsJson;
import io.carechat.messaging.memory.InMemoryEventBus;
import io.carechat.messaging.model.AttachmentRef;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.RoleRequest;
import io.carechat.messaging.model.SendRequest;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AuditQuery;
import io.carechat.messaging.spi.ChainVerification;
import io.carechat.messaging.spi.KeyProvider;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Message bodies, attachment names and role-request notes are stored sealed, bound to their rows;
 * tampering by hand SQL is refused and audited; key rotation seals them all again; rows written in
 * the older formats still open. For each database.
 */
@EachDatabase
@DisplayName("Encryption at rest")
class EncryptionAtRestTest {
    static final String MARKER_1 = "CANARY-BODY-7f3a9c";
    static final String MARKER_2 = "CANARY-BODY-2b8e41";
    static final String FILE_MARKER = "CANARY-FILE-5a1c3e";
    static final String NOTE_MARKER = "CANARY-NOTE-8d24f0";
    private static final byte[] K1_BYTES = new byte[32];
    private static final byte[] K2_BYTES = new byte[32];

    static {
        Arrays.fill(K1_BYTES, (byte) 1);
        Arrays.fill(K2_BYTES, (byte) 2);
    }

    private static final KeyProvider K1 = StaticKeyProvider.of(Map.of("k1", K1_BYTES), "k1");
    private static final KeyProvider ROTATED = StaticKeyProvider.of(Map.of("k1", K1_BYTES, "k2", K2_BYTES), "k2");
    private static final KeyProvider ONLY_K2 = StaticKeyProvider.of(Map.of("k2", K2_BYTES), "k2");
    private static final byte[] TOKEN_SECRET = new SecureRandom().generateSeed(32);
    private static final byte[] PDF = "%PDF-1.4 first %%EOF".getBytes(StandardCharsets.US_ASCII);

    private TestDatabase database;
    private JdbcStorage storage;
    private InMemoryEventBus bus;
    private Messaging messaging;
    private User doctor;
    private User patient;
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
        boolean databaseIsCatalog = databaseUnderTest == DatabaseUnderTest.MARIADB; // MariaDB: no schemas
        try (ResultSet rs = c.getMetaData().getTables(databaseIsCatalog ? c.getCatalog() : null,
                databaseIsCatalog ? null : c.getSchema(), "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                tables.add(rs.getString("TABLE_NAME"));
            }
        }
        assertThat(tables).as("the dump sees CareChat's tables").anyMatch(t -> t.equalsIgnoreCase(prefix() + "messages"));
        try (Statement s = c.createStatement()) {
            for (String table : tables) {
                String quote = c.getMetaData().getIdentifierQuoteString();
                try (ResultSet rs = s.executeQuery("SELECT * FROM " + quote + table + quote)) {
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
        messaging = messaging(K1);
        doctor = user("doc", Role.DOCTOR);
        patient = user("pat", Role.PATIENT);
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

    private Messaging messaging(KeyProvider keys) {
        return Messaging.builder().storage(storage).eventBus(bus).auditSink(storage.auditTrail())
                .keyProvider(keys).attachmentStore(storage.attachments())
                .tokens(TokenSettings.builder().issuer("https://carechat.test").audience("carechat")
                        .hmacSecret("hs-1", TOKEN_SECRET).build())
                .passwordHasher(PasswordHasher.argon2id(64, 1, 1))
                .build();
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

    /** A message carrying an attachment with a marked name, and a role request with a marked note. */
    private Message attachmentAndRoleRequest() {
        AttachmentRef ref = messaging.uploadAttachment(Caller.of(doctor), FILE_MARKER + ".pdf", null,
                new ByteArrayInputStream(PDF));
        Message sent = messaging.send(Caller.of(doctor),
                new SendRequest(chat.id(), "m3", "see the scan", Priority.NORMAL, List.of(ref.id())));
        messaging.accounts().requestRole(Caller.of(patient), Role.DOCTOR, "I am a doctor " + NOTE_MARKER);
        return sent;
    }

    private List<String> column(String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private Caller admin() {
        return Caller.of(user("admin", Role.ADMIN));
    }

    @Test
    @DisplayName("file names and role-request notes read back in plain text, but no column holds them")
    void namesAndNotesStoredSealed() throws SQLException {
        Message sent = attachmentAndRoleRequest();
        assertThat(sent.attachments()).extracting(AttachmentRef::name).containsExactly(FILE_MARKER + ".pdf");
        assertThat(messaging.history(Caller.of(doctor), chat.id(), null, null).messages().get(2).attachments())
                .extracting(AttachmentRef::name).containsExactly(FILE_MARKER + ".pdf");
        assertThat(messaging.downloadAttachment(Caller.of(doctor), sent.attachments().get(0).id()).ref().name())
                .isEqualTo(FILE_MARKER + ".pdf");
        assertThat(messaging.accounts().pendingRoleRequests(admin(), 10)).extracting(RoleRequest::note)
                .containsExactly("I am a doctor " + NOTE_MARKER);
        try (Connection c = database.dataSource().getConnection()) {
            String dump = String.join("\n", rawDump(c));
            assertThat(dump).doesNotContain("CANARY-FILE").doesNotContain("CANARY-NOTE").contains(SealedText.MARK);
        }
    }

    /** Changes one bound column of message 1 by hand SQL; reading it must fail its integrity check, audited. */
    private void assertBoundColumn(String assignment) throws SQLException {
        sql("UPDATE " + prefix() + "messages SET " + assignment + " WHERE seq = 1");
        assertThatThrownBy(() -> messaging.history(Caller.of(doctor), chat.id(), null, null))
                .isInstanceOf(IntegrityException.class)
                .message().doesNotContain("CANARY");
        assertThat(storage.auditTrail().query(AuditQuery.between(null, null, 100)))
                .filteredOn(r -> r.event().action().equals("integrity.failure")).hasSize(1)
                .allSatisfy(r -> assertThat(r.event().objectType()).isEqualTo("message"));
    }

    @Test
    @DisplayName("a sender changed by hand SQL is refused with an audited integrity error")
    void senderBound() throws SQLException {
        assertBoundColumn("sender_id = '" + patient.id().value() + "'");
    }

    @Test
    @DisplayName("a seq changed by hand SQL is refused with an audited integrity error")
    void seqBound() throws SQLException {
        sql("UPDATE " + prefix() + "messages SET seq = 3 WHERE seq = 2");
        assertBoundColumn("seq = 2");
    }

    @Test
    @DisplayName("a priority changed by hand SQL is refused with an audited integrity error")
    void priorityBound() throws SQLException {
        assertBoundColumn("priority = 'URGENT'");
    }

    @Test
    @DisplayName("a sent time changed by hand SQL is refused with an audited integrity error")
    void sentAtBound() throws SQLException {
        assertBoundColumn(databaseUnderTest == DatabaseUnderTest.MARIADB
                ? "sent_at = '2020-01-01 00:00:00'" // DATETIME(6) in UTC
                : "sent_at = TIMESTAMP WITH TIME ZONE '2020-01-01 00:00:00+00:00'");
    }

    @Test
    @DisplayName("key rotation seals names and notes again under the new key; the old key can then be dropped")
    void rotationResealsNamesAndNotes() throws SQLException {
        Message sent = attachmentAndRoleRequest();
        KeyRotationJob.Result result = KeyRotationJob.builder().bodies(storage.messageBodies()).keyProvider(ROTATED)
                .auditSink(storage.auditTrail()).attachments(storage.attachments())
                .roleRequests(storage.roleRequests()).build().run();
        assertThat(result.failed()).isZero();
        assertThat(result.completed()).isTrue();
        List<String> sealed = new ArrayList<>(column("SELECT name FROM " + prefix() + "attachments"));
        sealed.addAll(column("SELECT note FROM " + prefix() + "role_requests"));
        column("SELECT attachments FROM " + prefix() + "messages WHERE seq = 3").forEach(json ->
                sealed.addAll(AttachmentsJson.read(json).stream().map(AttachmentRef::name).toList()));
        assertThat(sealed).hasSize(3).allSatisfy(v -> assertThat(SealedText.isCurrent(v, "k2")).isTrue());
        assertThat(storage.auditTrail().verify().segments()).extracting(ChainVerification.Segment::label)
                .containsExactly("k1", "k2");
        messaging.close();
        messaging = messaging(ONLY_K2);
        assertThat(messaging.history(Caller.of(doctor), chat.id(), null, null).messages())
                .extracting(Message::body).containsExactly(MARKER_1, MARKER_2, "see the scan");
        assertThat(messaging.downloadAttachment(Caller.of(doctor), sent.attachments().get(0).id()).ref().name())
                .isEqualTo(FILE_MARKER + ".pdf");
        assertThat(messaging.accounts().pendingRoleRequests(admin(), 10)).extracting(RoleRequest::note)
                .containsExactly("I am a doctor " + NOTE_MARKER);
    }

    @Test
    @DisplayName("rows written before names, notes and bound columns were sealed still open, and rotation seals them")
    void oldFormatStillOpens() throws Exception {
        Message sent = attachmentAndRoleRequest();
        String id = sent.attachments().get(0).id().value();
        sql("UPDATE " + prefix() + "attachments SET name = 'old scan.pdf'");
        sql("UPDATE " + prefix() + "role_requests SET note = 'old note'");
        sql("UPDATE " + prefix() + "messages SET attachments = '[{\"id\":\"" + id
                + "\",\"name\":\"old scan.pdf\",\"contentType\":\"application/pdf\",\"size\":" + PDF.length
                + "}]' WHERE seq = 3");
        Message first = messaging.history(Caller.of(doctor), chat.id(), null, null).messages().get(0);
        sql("UPDATE " + prefix() + "messages SET body = '" + legacyBody(first, MARKER_1) + "' WHERE seq = 1");

        assertThat(messaging.history(Caller.of(doctor), chat.id(), null, null).messages())
                .satisfies(m -> assertThat(m.get(0).body()).isEqualTo(MARKER_1))
                .satisfies(m -> assertThat(m.get(2).attachments().get(0).name()).isEqualTo("old scan.pdf"));
        assertThat(messaging.downloadAttachment(Caller.of(doctor), sent.attachments().get(0).id()).ref().name())
                .isEqualTo("old scan.pdf");
        assertThat(messaging.accounts().pendingRoleRequests(admin(), 10)).extracting(RoleRequest::note)
                .containsExactly("old note");

        KeyRotationJob.builder().bodies(storage.messageBodies()).keyProvider(K1).auditSink(storage.auditTrail())
                .attachments(storage.attachments()).roleRequests(storage.roleRequests()).build().run();
        assertThat(column("SELECT name FROM " + prefix() + "attachments")).allMatch(SealedText::isSealed);
        assertThat(column("SELECT note FROM " + prefix() + "role_requests")).allMatch(SealedText::isSealed);
        assertThat(column("SELECT body FROM " + prefix() + "messages WHERE seq = 1"))
                .allSatisfy(b -> assertThat(FieldCipher.isCurrent(b, "k1")).isTrue());
        assertThat(messaging.history(Caller.of(doctor), chat.id(), null, null).messages().get(0).body())
                .isEqualTo(MARKER_1);
        sql("UPDATE " + prefix() + "messages SET priority = 'URGENT' WHERE seq = 1");
        assertThatThrownBy(() -> messaging.history(Caller.of(doctor), chat.id(), null, null))
                .as("once sealed again, the bound columns are covered").isInstanceOf(IntegrityException.class);
    }

    /** A body as version 1 sealed it: conversation and message id only in the associated data. */
    private static String legacyBody(Message message, String body) throws Exception {
        String aad = "carechat|v1|k1|message.body|" + message.conversationId().value().length() + ":"
                + message.conversationId().value() + "|" + message.id().value().length() + ":" + message.id().value();
        byte[] nonce = new byte[12];
        Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
        aes.init(Cipher.ENCRYPT_MODE, K1.key("k1").orElseThrow(), new GCMParameterSpec(128, nonce));
        aes.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
        byte[] sealed = aes.doFinal(body.getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4 + 12 + sealed.length)
                .put((byte) 1).put((byte) 2).put("k1".getBytes(StandardCharsets.US_ASCII)).put(nonce).put(sealed).array());
    }
}
