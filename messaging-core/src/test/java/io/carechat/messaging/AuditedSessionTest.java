package io.carechat.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.carechat.messaging.auth.ClientContext;
import io.carechat.messaging.auth.PasswordHasher;
import io.carechat.messaging.auth.Registration;
import io.carechat.messaging.auth.SessionTokens;
import io.carechat.messaging.auth.TokenSettings;
import io.carechat.messaging.crypto.StaticKeyProvider;
import io.carechat.messaging.error.ForbiddenException;
import io.carechat.messaging.error.NotFoundException;
import io.carechat.messaging.error.UnauthenticatedException;
import io.carechat.messaging.memory.InMemoryAttachmentStore;
import io.carechat.messaging.memory.InMemoryAuditSink;
import io.carechat.messaging.memory.InMemoryEventBus;
import io.carechat.messaging.memory.InMemoryLegalHoldStore;
import io.carechat.messaging.memory.InMemoryRefreshTokenStore;
import io.carechat.messaging.memory.InMemoryStorage;
import io.carechat.messaging.model.AttachmentRef;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.ConversationKind;
import io.carechat.messaging.model.MessageId;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.SendRequest;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.retention.RetentionJob;
import io.carechat.messaging.retention.RetentionPolicy;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.AuditEvent.Outcome;
import io.carechat.messaging.spi.ChainVerification;
import io.carechat.messaging.testing.MutableClock;
import java.io.ByteArrayInputStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A scripted session through the facade, and the exact audit trail it leaves. */
@DisplayName("A scripted session leaves exactly the expected audit trail")
class AuditedSessionTest {
    private static final ClientContext CLIENT = new ClientContext("198.51.100.9", "web", "req-1");
    private static final String PASSWORD = "correct horse battery staple 42";

    private final InMemoryStorage storage = new InMemoryStorage();
    private final InMemoryEventBus bus = new InMemoryEventBus();
    private final InMemoryAuditSink audit = new InMemoryAuditSink();
    private final MutableClock clock = new MutableClock(Clinic.START);
    private final Messaging messaging = Messaging.builder()
            .storage(storage).eventBus(bus).clock(clock).auditSink(audit).keyProvider(StaticKeyProvider.generate("k1"))
            .attachmentStore(new InMemoryAttachmentStore())
            .tokens(TokenSettings.builder().issuer("https://carechat.test").audience("carechat")
                    .hmacSecret("hs-1", secret()).build())
            .refreshTokens(new InMemoryRefreshTokenStore())
            .passwordHasher(PasswordHasher.argon2id(64, 1, 1))
            .build();

    private static byte[] secret() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return secret;
    }

    /** The parts of an event a script can predict. */
    private record Seen(String action, Outcome outcome, @Nullable UserId actor, @Nullable String objectType,
            @Nullable String objectId, @Nullable UserId patient) {
        static Seen of(AuditEvent e) {
            return new Seen(e.action(), e.outcome(), e.actorId(), e.objectType(), e.objectId(), e.patientId());
        }
    }

    @AfterEach
    void close() {
        messaging.close();
        bus.close();
    }

    @Test
    @DisplayName("register, login, open, upload, send, read, download, a bad token, a stranger's read and a purge are each recorded once, in order, and the chain verifies")
    void scriptedSession() {
        User doctor = storage.users().create(new User(UserId.random(), "house", "house@hospital.example",
                "Dr House", Set.of(Role.DOCTOR), true, clock.instant()), "placeholder-hash");
        User stranger = storage.users().create(new User(UserId.random(), "other", "other@example.org",
                "Other", Set.of(Role.PATIENT), true, clock.instant()), "placeholder-hash");
        User admin = storage.users().create(new User(UserId.random(), "root", "root@hospital.example",
                "Root", Set.of(Role.ADMIN), true, clock.instant()), "placeholder-hash");

        User patient = messaging.accounts().register(
                new Registration("pat", "pat@example.org", PASSWORD, "Pat Patient"), CLIENT);
        SessionTokens session = messaging.accounts().login("pat", PASSWORD, CLIENT);
        Caller caller = messaging.tokens().verify(session.accessToken(), CLIENT);
        Conversation chat = messaging.openDirect(caller, doctor.id());
        AttachmentRef scan = messaging.uploadAttachment(caller, "scan.pdf", "application/pdf",
                new ByteArrayInputStream(AttachmentsTest.pdf(100, "scan")));
        messaging.send(caller, new SendRequest(chat.id(), "m-1", "my results", Priority.NORMAL, List.of(scan.id())));
        messaging.history(Caller.of(doctor), chat.id(), null, null);
        messaging.downloadAttachment(Caller.of(doctor), scan.id());
        assertThatThrownBy(() -> messaging.tokens().verify("not-a-token", CLIENT))
                .isInstanceOf(UnauthenticatedException.class);
        assertThatThrownBy(() -> messaging.history(Caller.of(stranger), chat.id(), null, null))
                .isInstanceOf(NotFoundException.class);
        clock.advance(Duration.ofDays(31));
        RetentionJob.builder().bodies(storage.messageBodies()).conversations(storage.conversations())
                .legalHolds(new InMemoryLegalHoldStore()).auditSink(audit).clock(clock)
                .policy(RetentionPolicy.builder().maxMessageAge(ConversationKind.DIRECT, Duration.ofDays(30)).build())
                .build().runOnce();
        ChainVerification verification = messaging.verifyAudit(Caller.of(admin));
        MessageId sent = storage.messages().find(chat.id(), 1).orElseThrow().id();

        String c = chat.id().value();
        assertThat(audit.events()).map(Seen::of).containsExactly(
                new Seen("account.register", Outcome.SUCCESS, patient.id(), "user", patient.id().value(), patient.id()),
                new Seen("auth.login", Outcome.SUCCESS, patient.id(), "user", patient.id().value(), null),
                new Seen("conversation.open", Outcome.SUCCESS, patient.id(), "conversation", c, patient.id()),
                new Seen("attachment.upload", Outcome.SUCCESS, patient.id(), "attachment", scan.id().value(), null),
                new Seen("message.send", Outcome.SUCCESS, patient.id(), "conversation", c, patient.id()),
                new Seen("message.read", Outcome.SUCCESS, doctor.id(), "conversation", c, patient.id()),
                new Seen("attachment.download", Outcome.SUCCESS, doctor.id(), "attachment", scan.id().value(),
                        patient.id()),
                new Seen("token.rejected", Outcome.FAILURE, null, null, null, null),
                new Seen("authz.denied", Outcome.FAILURE, stranger.id(), "conversation", c, null),
                new Seen("retention.purge", Outcome.SUCCESS, null, "message", sent.value(), null),
                new Seen("audit.verify", Outcome.SUCCESS, admin.id(), "audit_trail", "chain", null));
        assertThat(verification).as("the verify call is recorded before it walks the chain")
                .extracting(ChainVerification::valid, ChainVerification::checked).containsExactly(true, 11L);
        assertThat(audit.events().get(4).actorRoles()).containsExactly(Role.PATIENT);
        assertThat(audit.events().get(4).clientAddress()).isEqualTo(CLIENT.address());
        assertThat(audit.events().get(4).requestId()).isEqualTo(CLIENT.requestId());
    }

    @Test
    @DisplayName("an admin exports a time range as a FHIR Bundle of AuditEvent resources; others are refused")
    void fhirExport() throws Exception {
        User doctor = storage.users().create(new User(UserId.random(), "house", "house@hospital.example",
                "Dr House", Set.of(Role.DOCTOR), true, clock.instant()), "placeholder-hash");
        User patient = storage.users().create(new User(UserId.random(), "pat", "pat@example.org",
                "Pat", Set.of(Role.PATIENT), true, clock.instant()), "placeholder-hash");
        User admin = storage.users().create(new User(UserId.random(), "root", "root@hospital.example",
                "Root", Set.of(Role.ADMIN), true, clock.instant()), "placeholder-hash");
        Conversation chat = messaging.openDirect(new Caller(doctor.id(), doctor.roles(), "192.0.2.4", "r-9"), patient.id());
        clock.advance(Duration.ofHours(1));
        messaging.history(Caller.of(patient), chat.id(), null, null);

        assertThatThrownBy(() -> messaging.exportAudit(Caller.of(doctor), Clinic.START, clock.instant()))
                .isInstanceOf(ForbiddenException.class);
        String json = messaging.exportAudit(Caller.of(admin), Clinic.START, Clinic.START.plusSeconds(1));
        JsonNode bundle = new ObjectMapper().readTree(json);
        assertThat(bundle.path("resourceType").asText()).isEqualTo("Bundle");
        assertThat(bundle.path("entry")).as("only the event inside the range").hasSize(1);
        JsonNode open = bundle.path("entry").get(0).path("resource");
        assertThat(open.path("resourceType").asText()).isEqualTo("AuditEvent");
        assertThat(open.path("type").path("code").asText()).isEqualTo("conversation.open");
        assertThat(open.path("action").asText()).isEqualTo("C");
        assertThat(open.path("outcome").asText()).isEqualTo("0");
        assertThat(open.path("recorded").asText()).isEqualTo(Clinic.START.toString());
        JsonNode agent = open.path("agent").get(0);
        assertThat(agent.path("who").path("identifier").path("value").asText()).isEqualTo(doctor.id().value());
        assertThat(agent.path("network").path("address").asText()).isEqualTo("192.0.2.4");
        assertThat(open.path("entity").get(0).path("what").path("identifier").path("value").asText())
                .isEqualTo(chat.id().value());
        assertThat(open.path("entity").get(1).path("role").path("code").asText()).isEqualTo("1");
        assertThat(open.path("entity").get(1).path("what").path("identifier").path("value").asText())
                .isEqualTo(patient.id().value());
        assertThat(audit.events()).extracting(AuditEvent::action).endsWith("audit.export");
    }
}
