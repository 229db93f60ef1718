package io.carechat.messaging.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.carechat.messaging.Messaging;
import io.carechat.messaging.auth.ClientContext;
import io.carechat.messaging.auth.PasswordHasher;
import io.carechat.messaging.auth.Registration;
import io.carechat.messaging.auth.SessionTokens;
import io.carechat.messaging.auth.TokenSettings;
import io.carechat.messaging.crypto.StaticKeyProvider;
import io.carechat.messaging.memory.InMemoryEventBus;
import io.carechat.messaging.memory.InMemoryRefreshTokenStore;
import io.carechat.messaging.model.AttachmentRef;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.SendRequest;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AuditQuery;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unique markers in a message body, a display name, an attachment name and a token, through a full
 * scenario on an H2 file database, with every log line captured (debug level for CareChat).
 */
@DisplayName("Canary: protected text never leaks")
class H2CanaryTest {
    private static final String BODY = "CANARY-BODY-5d1e0b";
    private static final String DISPLAY_NAME = "CANARY-NAME-93fa2c";
    private static final String FILE_NAME = "CANARY-FILE-0c77e4";
    private static final String TOKEN = "CANARY-TOKEN-e8b3d6";
    private static final String PASSWORD = "CANARY-PASSWORD-41aa07 long enough";
    private static final List<String> ALL = List.of(BODY, DISPLAY_NAME, FILE_NAME, TOKEN, PASSWORD);

    @TempDir
    Path dir;

    @Test
    @DisplayName("no marker appears in logs, exception messages or audit records, and no body marker in the database's script or file")
    void nothingLeaks() throws Exception {
        List<String> exceptionTexts = new ArrayList<>();
        List<String> auditTexts = new ArrayList<>();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        PrintStream originalOut = System.out;
        PrintStream tee = new PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setErr(tee);
        System.setOut(tee);
        H2TestDatabase database = H2TestDatabase.inFile(dir);
        try (JdbcStorage storage = JdbcStorage.builder(database.dataSource()).build();
                InMemoryEventBus bus = new InMemoryEventBus()) {
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            try (Messaging messaging = Messaging.builder().storage(storage).eventBus(bus)
                    .auditSink(storage.auditTrail()).keyProvider(StaticKeyProvider.generate("k1"))
                    .attachmentStore(storage.attachments())
                    .tokens(TokenSettings.builder().issuer("https://carechat.test").audience("carechat")
                            .hmacSecret("hs-1", secret).build())
                    .refreshTokens(new InMemoryRefreshTokenStore())
                    .passwordHasher(PasswordHasher.argon2id(64, 1, 1))
                    .build()) {
                ClientContext client = new ClientContext("203.0.113.5", "web", "req-canary");
                User doctor = storage.users().create(new User(UserId.random(), "doc", "doc@hospital.example",
                        "Dr Doc", Set.of(Role.DOCTOR), true, Instant.now()), "placeholder-hash");
                User stranger = storage.users().create(new User(UserId.random(), "stranger", "s@example.org",
                        "Stranger", Set.of(Role.PATIENT), true, Instant.now()), "placeholder-hash");
                messaging.accounts().register(new Registration("pat", "pat@example.org", PASSWORD, DISPLAY_NAME), client);
                SessionTokens session = messaging.accounts().login("pat", PASSWORD, client);
                Caller patient = messaging.tokens().verify(session.accessToken(), client);
                Conversation chat = messaging.openDirect(patient, doctor.id());
                byte[] pdf = ("%PDF-1.4\n" + BODY + "\n%%EOF\n").getBytes(StandardCharsets.US_ASCII);
                AttachmentRef ref = messaging.uploadAttachment(patient, "../" + FILE_NAME + ".pdf", "application/pdf",
                        new ByteArrayInputStream(pdf));
                messaging.send(patient, new SendRequest(chat.id(), "c-1", BODY, Priority.NORMAL, List.of(ref.id())));
                messaging.history(Caller.of(doctor), chat.id(), null, null);
                messaging.downloadAttachment(Caller.of(doctor), ref.id());
                exceptionTexts.add(text(catchThrowable(() -> messaging.tokens().verify(TOKEN, client))));
                exceptionTexts.add(text(catchThrowable(() -> messaging.tokens().verify(session.accessToken() + TOKEN, client))));
                exceptionTexts.add(text(catchThrowable(() -> messaging.accounts().login("pat", PASSWORD + "x", client))));
                exceptionTexts.add(text(catchThrowable(() -> messaging.history(Caller.of(stranger), chat.id(), null, null))));
                exceptionTexts.add(text(catchThrowable(() -> messaging.downloadAttachment(Caller.of(stranger), ref.id()))));
                exceptionTexts.add(text(catchThrowable(() -> messaging.send(patient,
                        SendRequest.text(chat.id(), "c-1", BODY + " changed")))));
                storage.auditTrail().query(AuditQuery.between(null, null, 1000))
                        .forEach(r -> auditTexts.add(r.toString()));
            }
        } finally {
            System.setErr(originalErr);
            System.setOut(originalOut);
        }
        String logs = captured.toString(StandardCharsets.UTF_8);
        assertThat(logs).as("the capture saw CareChat's debug lines").contains("committed as seq 1");
        assertThat(exceptionTexts).hasSize(6).allSatisfy(t -> assertThat(t).isNotEqualTo("none"));
        assertThat(auditTexts).isNotEmpty();
        for (String marker : ALL) {
            assertThat(logs).doesNotContain(marker);
            assertThat(exceptionTexts).noneMatch(t -> t.contains(marker));
            assertThat(auditTexts).noneMatch(t -> t.contains(marker));
        }
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SCRIPT")) {
            StringBuilder script = new StringBuilder();
            while (rs.next()) {
                script.append(rs.getString(1)).append('\n');
            }
            assertThat(script).contains("INSERT INTO").doesNotContain(BODY).doesNotContain(FILE_NAME);
        }
        database.close();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).doesNotContain(BODY)
                        .doesNotContain(FILE_NAME);
            }
        }
    }

    /** An exception's class, message and causes' messages, or "none". */
    private static String text(Throwable t) {
        if (t == null) {
            return "none";
        }
        StringBuilder sb = new StringBuilder();
        for (Throwable x = t; x != null; x = x.getCause()) {
            sb.append(x.getClass().getName()).append(": ").append(x.getMessage()).append('\n');
        }
        return sb.toString();
    }
}
