package io.carechat.messaging.internal;

import static io.carechat.messaging.internal.SampleFiles.chunk;
import static io.carechat.messaging.internal.SampleFiles.concat;
import static io.carechat.messaging.internal.SampleFiles.jpeg;
import static io.carechat.messaging.internal.SampleFiles.pdf;
import static io.carechat.messaging.internal.SampleFiles.png;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.error.UnsupportedMediaTypeException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/**
 * Generated PNG, JPEG and PDF files, well-formed ones and ones with broken structure or injected
 * active content, thrown at the attachment checker.
 */
@Label("Attachment checks hold for generated files")
class AttachmentContentPropertyTest {
    private static final List<String> ACTIVE = List.of(
            "JavaScript", "JS", "AA", "Launch", "EmbeddedFile", "EmbeddedFiles", "RichMedia", "XFA");
    private static final List<String> BENIGN_TOKENS = List.of(
            "BT", "ET", "/F1", "12", "Tf", "(Results)", "Tj", "q", "Q", "0 0 612 792 re", "f", "/Span", "<< /Lang (en) >>");

    @Property(tries = 200)
    @Label("well-formed PNGs of any size, with ancillary text chunks, are accepted")
    void wellFormedPngsPass(@ForAll @IntRange(min = 1, max = 40) int width, @ForAll @IntRange(min = 1, max = 40) int height,
            @ForAll @Size(max = 3) List<@AlphaChars @StringLength(max = 30) String> comments) {
        byte[][] chunks = comments.stream()
                .map(c -> chunk("tEXt", ("Comment\0" + c).getBytes(StandardCharsets.ISO_8859_1)))
                .toArray(byte[][]::new);
        assertThat(AttachmentContent.typeOf(png(width, height, chunks))).isEqualTo(AttachmentContent.PNG);
    }

    @Property(tries = 300)
    @Label("changing any one byte of a PNG after its signature gets it refused")
    void anyChangedPngByteIsRefused(@ForAll @IntRange(min = 1, max = 20) int width, @ForAll("positions") double where,
            @ForAll @IntRange(min = 1, max = 255) int flip) {
        byte[] image = png(width, 3);
        int at = 8 + (int) (where * (image.length - 8));
        image[at] ^= (byte) flip;
        assertThatThrownBy(() -> AttachmentContent.typeOf(image)).isInstanceOf(UnsupportedMediaTypeException.class);
    }

    @Property(tries = 200)
    @Label("a PNG or JPEG with anything appended, or cut anywhere, is refused")
    void appendedOrTruncatedImagesAreRefused(@ForAll boolean jpegImage, @ForAll @Size(min = 1, max = 64) byte[] tail,
            @ForAll("positions") double cut) {
        byte[] image = jpegImage ? jpeg(new byte[] {1, 2, 3, 4}) : png(3, 3);
        assertThatThrownBy(() -> AttachmentContent.typeOf(concat(image, tail)))
                .isInstanceOf(UnsupportedMediaTypeException.class);
        int length = 3 + (int) (cut * (image.length - 4));
        assertThatThrownBy(() -> AttachmentContent.typeOf(Arrays.copyOf(image, length)))
                .isInstanceOf(UnsupportedMediaTypeException.class);
    }

    @Property(tries = 200)
    @Label("JPEG scans of any entropy-coded bytes (stuffed as JPEG requires) are accepted")
    void jpegScansOfAnyDataPass(@ForAll @Size(max = 200) byte[] data) {
        assertThat(AttachmentContent.typeOf(jpeg(stuffed(data)))).isEqualTo(AttachmentContent.JPEG);
    }

    @Property(tries = 300)
    @Label("a PDF with an active name injected anywhere, escaped or compressed, is refused; without it, accepted")
    void injectedActiveContentIsRefused(@ForAll("benign") List<String> tokens, @ForAll("activeNames") String name,
            @ForAll("positions") double where, @ForAll boolean inCompressedStream, @ForAll boolean escape) {
        String text = String.join(" ", tokens);
        assertThat(AttachmentContent.typeOf(pdf(text, text))).isEqualTo(AttachmentContent.PDF);

        String injected = "/" + (escape ? escaped(name) : name) + " (x)";
        int at = (int) (where * text.length());
        while (at < text.length() && text.charAt(at) != ' ') {
            at++;
        }
        String withActive = text.substring(0, at) + " " + injected + " " + text.substring(at);
        byte[] file = inCompressedStream ? pdf(text, withActive) : pdf(withActive, text);
        assertThatThrownBy(() -> AttachmentContent.typeOf(file))
                .isInstanceOf(UnsupportedMediaTypeException.class)
                .hasMessageContaining("active content");
    }

    @Provide
    Arbitrary<Double> positions() {
        return Arbitraries.doubles().between(0, 1).filter(d -> d < 1);
    }

    @Provide
    Arbitrary<List<String>> benign() {
        return Arbitraries.of(BENIGN_TOKENS).list().ofMaxSize(30);
    }

    @Provide
    Arbitrary<String> activeNames() {
        return Arbitraries.of(ACTIVE);
    }

    private static String escaped(String name) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            out.append(i % 2 == 0 ? String.format("#%02X", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }

    /** Entropy-coded data as a JPEG encoder writes it: every 0xFF byte followed by a zero byte. */
    private static byte[] stuffed(byte[] data) {
        byte[] out = new byte[data.length * 2];
        int n = 0;
        for (byte b : data) {
            out[n++] = b;
            if (b == (byte) 0xff) {
                out[n++] = 0;
            }
        }
        return Arrays.copyOf(out, n);
    }
}
