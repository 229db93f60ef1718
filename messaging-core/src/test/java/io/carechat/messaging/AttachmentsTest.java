package io.carechat.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.crypto.StaticKeyProvider;
import io.carechat.messaging.error.BadRequestException;
import io.carechat.messaging.error.ConflictException;
import io.carechat.messaging.error.NotFoundException;
import io.carechat.messaging.error.TooLargeException;
import io.carechat.messaging.error.UnavailableException;
import io.carechat.messaging.error.UnsupportedMediaTypeException;
import io.carechat.messaging.memory.InMemoryAttachmentStore;
import io.carechat.messaging.memory.InMemoryAuditSink;
import io.carechat.messaging.memory.InMemoryEventBus;
import io.carechat.messaging.memory.InMemoryStorage;
import io.carechat.messaging.model.AttachmentId;
import io.carechat.messaging.model.AttachmentRef;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.HistoryPage;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.SendRequest;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AppendResult;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.ForwardingStorage;
import io.carechat.messaging.spi.MessageStore;
import io.carechat.messaging.spi.MessagingStorage;
import io.carechat.messaging.spi.NewMessage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Attachments through the facade")
class AttachmentsTest {
    private static final int MAX = 2048;
    private static final int QUOTA = 5000;

    private final InMemoryAttachmentStore store = new InMemoryAttachmentStore();
    private final Clinic clinic = new Clinic(b -> b.attachmentStore(store).attachmentLimits(MAX, QUOTA));

    @AfterEach
    void close() {
        clinic.close();
    }

    static byte[] pdf(int size, String marker) {
        byte[] head = ("%PDF-1.7\n% " + marker + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = "\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[Math.max(size, head.length + tail.length)];
        Arrays.fill(out, (byte) ' ');
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(tail, 0, out, out.length - tail.length, tail.length);
        return out;
    }

    /** A real one-pixel PNG. */
    static byte[] png() {
        return Base64.getDecoder().decode(
                "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");
    }

    private AttachmentRef upload(User who, String name, byte[] content) {
        return clinic.messaging.uploadAttachment(Clinic.as(who), name, "application/pdf", new ByteArrayInputStream(content));
    }

    @Test
    @DisplayName("a PDF and a PNG are recognised by content, and stored encrypted")
    void recognisedAndSealed() {
        AttachmentRef pdf = upload(clinic.patient, "results.pdf", pdf(300, "CANARY-FILE-91"));
        AttachmentRef png = upload(clinic.patient, "photo.jpg", png());
        assertThat(pdf.contentType()).isEqualTo("application/pdf");
        assertThat(png.contentType()).as("the name says jpg, the bytes say png").isEqualTo("image/png");
        assertThat(new String(store.content(pdf.id()).orElseThrow(), StandardCharsets.ISO_8859_1))
                .doesNotContain("CANARY-FILE-91").doesNotContain("%PDF");
        assertThat(clinic.messaging.downloadAttachment(Clinic.as(clinic.patient), pdf.id()).content())
                .isEqualTo(pdf(300, "CANARY-FILE-91"));
    }

    @Test
    @DisplayName("a renamed executable is refused whatever its name and declared type")
    void renamedExecutable() {
        byte[] exe = "MZ\u0090\u0000 this program cannot be run in DOS mode".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> upload(clinic.patient, "report.pdf", exe))
                .isInstanceOf(UnsupportedMediaTypeException.class);
    }

    @Test
    @DisplayName("a truncated PDF (no %%EOF) is refused")
    void truncatedPdf() {
        byte[] whole = pdf(400, "x");
        assertThatThrownBy(() -> upload(clinic.patient, "cut.pdf", Arrays.copyOf(whole, 300)))
                .isInstanceOf(UnsupportedMediaTypeException.class);
    }

    @Test
    @DisplayName("an oversized upload is refused while streaming, even from an endless stream")
    void oversized() {
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return '%';
            }
        };
        assertThatThrownBy(() -> clinic.messaging.uploadAttachment(Clinic.as(clinic.patient), "big.pdf", null, endless))
                .isInstanceOf(TooLargeException.class);
        assertThatThrownBy(() -> upload(clinic.patient, "big.pdf", pdf(MAX + 1, "x")))
                .isInstanceOf(TooLargeException.class);
        assertThat(upload(clinic.patient, "fits.pdf", pdf(MAX, "x")).size()).isEqualTo(MAX);
    }

    @Test
    @DisplayName("a path-traversal or control-character name is kept only as its sanitised last segment")
    void sanitisedNames() {
        assertThat(upload(clinic.patient, "../../etc/passwd", pdf(100, "x")).name()).isEqualTo("passwd");
        assertThat(upload(clinic.patient, "..\\..\\windows\\evil.pdf", pdf(100, "x")).name()).isEqualTo("evil.pdf");
        assertThat(upload(clinic.patient, "a\u0000b\r\nc\u202e.pdf", pdf(100, "x")).name()).isEqualTo("abc.pdf");
        assertThat(upload(clinic.patient, "/..", pdf(100, "x")).name()).isEqualTo("attachment");
        assertThat(upload(clinic.patient, "x".repeat(500) + ".pdf", pdf(100, "x")).name()).hasSize(120);
    }

    @Test
    @DisplayName("members of a conversation where it was sent may download it; anyone else gets not found")
    void whoMayDownload() {
        Conversation chat = clinic.doctorAndPatient();
        AttachmentRef ref = upload(clinic.patient, "results.pdf", pdf(200, "x"));
        assertThatThrownBy(() -> clinic.messaging.downloadAttachment(Clinic.as(clinic.doctor), ref.id()))
                .as("not yet sent").isInstanceOf(NotFoundException.class);
        Message sent = clinic.messaging.send(Clinic.as(clinic.patient),
                new SendRequest(chat.id(), "m1", "see attached", Priority.NORMAL, List.of(ref.id())));
        assertThat(sent.attachments()).containsExactly(ref);
        assertThat(clinic.messaging.downloadAttachment(Clinic.as(clinic.doctor), ref.id()).ref()).isEqualTo(ref);
        assertThatThrownBy(() -> clinic.messaging.downloadAttachment(Clinic.as(clinic.otherPatient), ref.id()))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> clinic.messaging.downloadAttachment(Clinic.as(clinic.doctor), AttachmentId.random()))
                .isInstanceOf(NotFoundException.class);
        assertThat(clinic.audit.events()).extracting(AuditEvent::action)
                .contains("attachment.upload", "attachment.download", "authz.denied");
    }

    @Test
    @DisplayName("only the uploader may send an attachment")
    void onlyOwnUploads() {
        Conversation chat = clinic.doctorAndPatient();
        AttachmentRef ref = upload(clinic.patient, "results.pdf", pdf(200, "x"));
        assertThatThrownBy(() -> clinic.messaging.send(Clinic.as(clinic.doctor),
                new SendRequest(chat.id(), "m1", "", Priority.NORMAL, List.of(ref.id()))))
                .isInstanceOf(BadRequestException.class).hasMessage("unknown attachment");
    }

    @Test
    @DisplayName("uploads beyond the per-user quota are refused; other users have their own quota")
    void quota() {
        upload(clinic.patient, "1.pdf", pdf(2000, "x"));
        upload(clinic.patient, "2.pdf", pdf(2000, "x"));
        assertThatThrownBy(() -> upload(clinic.patient, "3.pdf", pdf(2000, "x"))).isInstanceOf(TooLargeException.class);
        assertThat(upload(clinic.otherPatient, "1.pdf", pdf(2000, "x")).size()).isEqualTo(2000);
    }

    @Test
    @DisplayName("beyond the total attachment storage every user's upload is refused with a clear message")
    void totalStorage() {
        try (Clinic small = new Clinic(b -> b.attachmentStore(new InMemoryAttachmentStore())
                .attachmentLimits(MAX, QUOTA).attachmentStorageLimit(QUOTA + 1000))) {
            small.messaging.uploadAttachment(Clinic.as(small.patient), "1.pdf", null, new ByteArrayInputStream(pdf(2000, "x")));
            small.messaging.uploadAttachment(Clinic.as(small.patient), "2.pdf", null, new ByteArrayInputStream(pdf(2000, "x")));
            small.messaging.uploadAttachment(Clinic.as(small.otherPatient), "1.pdf", null,
                    new ByteArrayInputStream(pdf(2000, "x")));
            assertThatThrownBy(() -> small.messaging.uploadAttachment(Clinic.as(small.doctor), "1.pdf", null,
                    new ByteArrayInputStream(pdf(1000, "x"))))
                    .isInstanceOf(TooLargeException.class)
                    .hasMessageContaining("attachment storage of " + (QUOTA + 1000) + " bytes is full");
            assertThat(small.audit.events()).anySatisfy(e -> {
                assertThat(e.action()).isEqualTo("attachment.upload");
                assertThat(e.reason()).isEqualTo("storage_full");
            });
        }
    }

    @Test
    @DisplayName("a total attachment storage below the per-user quota is a configuration problem")
    void totalStorageBelowQuota() {
        assertThatThrownBy(() -> new Clinic(b -> b.attachmentLimits(MAX, QUOTA).attachmentStorageLimit(QUOTA - 1)))
                .hasMessageContaining("attachmentStorageLimit must be at least the per-user quota");
    }

    @Test
    @DisplayName("a send refused after its checks (a clientMsgId conflict) leaves its upload unlinked: members cannot download it")
    void refusedSendLinksNothing() {
        Conversation chat = clinic.doctorAndPatient();
        clinic.messaging.send(Clinic.as(clinic.patient),
                new SendRequest(chat.id(), "m1", "no attachment", Priority.NORMAL, List.of()));
        AttachmentRef ref = upload(clinic.patient, "scan.pdf", pdf(300, "x"));

        assertThatThrownBy(() -> clinic.messaging.send(Clinic.as(clinic.patient),
                new SendRequest(chat.id(), "m1", "no attachment", Priority.NORMAL, List.of(ref.id()))))
                .isInstanceOf(ConflictException.class);

        assertThat(store.conversationsOf(ref.id())).isEmpty();
        assertThatThrownBy(() -> clinic.messaging.downloadAttachment(Clinic.as(clinic.doctor), ref.id()))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    @DisplayName("a send the store fails leaves its upload unlinked; the retry that stores it links it")
    void failedSendLinksNothingUntilStored() {
        InMemoryStorage storage = new InMemoryStorage();
        AtomicBoolean down = new AtomicBoolean(true);
        MessagingStorage failing = new ForwardingStorage(storage) {
            @Override
            public MessageStore messages() {
                MessageStore real = storage.messages();
                return new MessageStore() {
                    @Override
                    public AppendResult append(NewMessage message) {
                        if (down.get()) {
                            throw new UnavailableException("storage is down");
                        }
                        return real.append(message);
                    }

                    @Override
                    public HistoryPage history(ConversationId conversationId, @Nullable Long beforeSeq, int limit) {
                        return real.history(conversationId, beforeSeq, limit);
                    }

                    @Override
                    public List<Message> after(ConversationId conversationId, long afterSeq, int limit) {
                        return real.after(conversationId, afterSeq, limit);
                    }

                    @Override
                    public Optional<Message> find(ConversationId conversationId, long seq) {
                        return real.find(conversationId, seq);
                    }
                };
            }
        };
        User doctor = storage.users().create(new User(UserId.random(), "doc", "doc@hospital.example", "Doc",
                Set.of(Role.DOCTOR), true, Clinic.START), "placeholder-hash");
        User patient = storage.users().create(new User(UserId.random(), "pat", "pat@hospital.example", "Pat",
                Set.of(Role.PATIENT), true, Clinic.START), "placeholder-hash");
        try (InMemoryEventBus bus = new InMemoryEventBus();
                Messaging messaging = Messaging.builder().storage(failing).eventBus(bus)
                        .auditSink(new InMemoryAuditSink()).keyProvider(StaticKeyProvider.generate("k1"))
                        .attachmentStore(store).build()) {
            Conversation chat = messaging.openDirect(Clinic.as(doctor), patient.id());
            AttachmentRef ref = messaging.uploadAttachment(Clinic.as(patient), "scan.pdf", null,
                    new ByteArrayInputStream(pdf(300, "x")));
            SendRequest send = new SendRequest(chat.id(), "m1", "see attached", Priority.NORMAL, List.of(ref.id()));

            assertThatThrownBy(() -> messaging.send(Clinic.as(patient), send)).isInstanceOf(UnavailableException.class);
            assertThat(store.conversationsOf(ref.id())).isEmpty();

            down.set(false);
            messaging.send(Clinic.as(patient), send);
            assertThat(store.conversationsOf(ref.id())).containsExactly(chat.id());
        }
    }
}
