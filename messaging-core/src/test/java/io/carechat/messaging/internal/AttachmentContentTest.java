package io.carechat.messaging.internal;

import static io.carechat.messaging.internal.SampleFiles.chunk;
import static io.carechat.messaging.internal.SampleFiles.concat;
import static io.carechat.messaging.internal.SampleFiles.jpeg;
import static io.carechat.messaging.internal.SampleFiles.pdf;
import static io.carechat.messaging.internal.SampleFiles.png;
import static io.carechat.messaging.internal.SampleFiles.segment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.error.UnsupportedMediaTypeException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Attachments are recognised by their structure, and polyglots and active PDFs are refused")
class AttachmentContentTest {
    private static final byte[] HTML = "<html><script>alert(document.cookie)</script></html>"
            .getBytes(StandardCharsets.US_ASCII);

    private static void refused(byte[] content, String reason) {
        assertThatThrownBy(() -> AttachmentContent.typeOf(content))
                .isInstanceOf(UnsupportedMediaTypeException.class)
                .hasMessageContaining(reason);
    }

    @Test
    @DisplayName("A real one-pixel PNG, a built PNG with an ancillary chunk, a JPEG and a PDF are accepted")
    void wellFormedFilesPass() {
        byte[] onePixel = Base64.getDecoder().decode(
                "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");
        assertThat(AttachmentContent.typeOf(onePixel)).isEqualTo(AttachmentContent.PNG);
        assertThat(AttachmentContent.typeOf(png(4, 3, chunk("tEXt", "Comment\0ward 7".getBytes(StandardCharsets.ISO_8859_1)))))
                .isEqualTo(AttachmentContent.PNG);
        assertThat(AttachmentContent.typeOf(jpeg(new byte[] {1, 2, (byte) 0xff, 0, 3, (byte) 0xff, (byte) 0xd0, 4})))
                .isEqualTo(AttachmentContent.JPEG);
        assertThat(AttachmentContent.typeOf(pdf("/OpenAction [3 0 R /Fit]", "BT /F1 12 Tf (Lab results) Tj ET")))
                .isEqualTo(AttachmentContent.PDF);
    }

    @Test
    @DisplayName("A PNG signature followed by HTML and no header chunk is refused")
    void pngSignatureOverHtmlIsRefused() {
        byte[] polyglot = concat(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'},
                chunk("htMl", HTML), chunk("IEND", new byte[0]));
        refused(polyglot, "does not start with its header chunk");
    }

    @Test
    @DisplayName("A PNG chunk whose CRC does not match is refused")
    void badCrcIsRefused() {
        byte[] image = png(2, 2);
        image[40] ^= 0x01;
        refused(image, "CRC");
    }

    @Test
    @DisplayName("Anything after the PNG's end chunk is refused")
    void dataAfterPngEndIsRefused() {
        refused(concat(png(2, 2), HTML), "after its end chunk");
    }

    @Test
    @DisplayName("A truncated PNG, one without image data and one with an unknown critical chunk are refused")
    void malformedPngsAreRefused() {
        byte[] image = png(2, 2);
        refused(Arrays.copyOf(image, image.length - 5), "incomplete");
        byte[] header = Arrays.copyOfRange(image, 8, 8 + 25);
        refused(concat(Arrays.copyOf(image, 8), header, chunk("IEND", new byte[0])), "no image data");
        refused(png(2, 2, chunk("ABCD", new byte[3])), "unknown critical chunk");
    }

    @Test
    @DisplayName("A PNG header with an impossible size or bit depth is refused")
    void invalidPngHeaderIsRefused() {
        refused(png(0, 2), "invalid size");
        byte[] image = png(2, 2);
        byte[] header = Arrays.copyOfRange(image, 16, 16 + 13);
        header[8] = 3;
        byte[] bad = concat(Arrays.copyOf(image, 8), chunk("IHDR", header), Arrays.copyOfRange(image, 33, image.length));
        refused(bad, "invalid header chunk");
    }

    @Test
    @DisplayName("A JPEG with HTML after its end marker is refused")
    void dataAfterJpegEndIsRefused() {
        refused(concat(jpeg(new byte[] {1, 2, 3}), HTML), "after its end marker");
    }

    @Test
    @DisplayName("JPEG's first bytes followed by HTML, a segment longer than the file, and a scan before the frame header are refused")
    void malformedJpegsAreRefused() {
        refused(concat(new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff}, HTML), "the JPEG image");
        refused(concat(new byte[] {(byte) 0xff, (byte) 0xd8}, segment(0xe0, new byte[10]), new byte[] {(byte) 0xff, (byte) 0xdb, 0x7f, 0}),
                "incomplete");
        refused(concat(new byte[] {(byte) 0xff, (byte) 0xd8}, segment(0xda, new byte[6]), new byte[] {1, (byte) 0xff, (byte) 0xd9}),
                "scan before its frame header");
        byte[] image = jpeg(new byte[] {1, 2, 3});
        refused(Arrays.copyOf(image, image.length - 2), "incomplete");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "/OpenAction << /S /JavaScript /JS (app.alert(1)) >>",
        "/AA << /O << /S /JavaScript /JS (this.exportDataObject()) >> >>",
        "/OpenAction << /S /Launch /F (cmd.exe) >>",
        "/Names << /EmbeddedFiles 9 0 R >>",
        "/RichMedia 9 0 R",
        "/AcroForm << /XFA 9 0 R >>",
        "/OpenAction << /S /J#61vaScript /J#53 (x) >>"
    })
    @DisplayName("A PDF naming scripts, actions, launches, embedded files, rich media or XFA is refused, escapes decoded")
    void activePdfIsRefused(String catalogExtra) {
        refused(pdf(catalogExtra, "BT ET"), "active content");
    }

    @Test
    @DisplayName("Active content hidden in a Flate-compressed stream is found and refused")
    void activeContentInCompressedStreamIsRefused() {
        refused(pdf("", "5 0 obj << /S /JavaScript /JS (app.alert(1)) >> endobj"), "active content");
    }

    @Test
    @DisplayName("An object stream that cannot be inflated is refused, since it cannot be checked")
    void uncheckableObjectStreamIsRefused() {
        byte[] file = ("%PDF-1.7\n5 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /ASCIIHexDecode /Length 8 >>\nstream\n"
                + "2F4A5320\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n").getBytes(StandardCharsets.US_ASCII);
        refused(file, "cannot be checked");
    }

    @Test
    @DisplayName("A stream that inflates beyond the bound is refused rather than expanded")
    void compressionBombIsRefused() {
        String zeros = "\0".repeat((int) PdfActiveContent.MAX_INFLATED_BYTES + 1024);
        refused(pdf("", zeros), "expands too far");
    }
}
