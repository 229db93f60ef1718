package io.carechat.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.error.BadRequestException;
import io.carechat.messaging.error.NotFoundException;
import io.carechat.messaging.error.TooLargeException;
import io.carechat.messaging.error.UnsupportedMediaTypeException;
import io.carechat.messaging.memory.InMemoryAttachmentStore;
import io.carechat.messaging.model.AttachmentId;
import io.carechat.messaging.model.AttachmentRef;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.model.SendRequest;
import io.carechat.messaging.model.User;
import io.carechat.messaging.spi.AuditEvent;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
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
}
