package io.carechat.messaging.internal;

import io.carechat.messaging.error.UnsupportedMediaTypeException;
import java.nio.charset.StandardCharsets;

/**
 * Recognises an upload's type from its bytes alone (never its name or declared type) and checks
 * its structure, so that neither a truncated file nor a polyglot (a file that is also something
 * else, such as an HTML page or a script) is accepted: a PDF starts with {@code %PDF-}, has
 * {@code %%EOF} near its end and no active content ({@link PdfActiveContent}); a PNG is read chunk
 * by chunk ({@link PngStructure}); a JPEG segment by segment ({@link JpegStructure}). Not API.
 * Stateless.
 */
public final class AttachmentContent {
    /** The type of a PDF. */
    public static final String PDF = "application/pdf";
    /** The type of a PNG image. */
    public static final String PNG = "image/png";
    /** The type of a JPEG image. */
    public static final String JPEG = "image/jpeg";

    private static final byte[] PDF_MAGIC = "%PDF-".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PDF_END = "%%EOF".getBytes(StandardCharsets.US_ASCII);
    private static final int PDF_TRAILER_WINDOW = 1024;

    private AttachmentContent() {}

    /**
     * The type of a complete upload.
     *
     * @param content the bytes
     * @return {@link #PDF}, {@link #PNG} or {@link #JPEG}
     * @throws UnsupportedMediaTypeException if it is none of them, one of them cut short or
     *     malformed, or a PDF with active content
     */
    public static String typeOf(byte[] content) {
        if (startsWith(content, PDF_MAGIC)) {
            if (!containsNearEnd(content, PDF_END, PDF_TRAILER_WINDOW)) {
                throw new UnsupportedMediaTypeException("the PDF is incomplete");
            }
            PdfActiveContent.check(content);
            return PDF;
        }
        if (startsWith(content, PngStructure.SIGNATURE)) {
            PngStructure.check(content);
            return PNG;
        }
        if (startsWith(content, JpegStructure.SIGNATURE)) {
            JpegStructure.check(content);
            return JPEG;
        }
        throw new UnsupportedMediaTypeException("only PDF, PNG and JPEG files may be attached");
    }

    private static boolean startsWith(byte[] content, byte[] prefix) {
        if (content.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (content[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean containsNearEnd(byte[] content, byte[] needle, int window) {
        int start = Math.max(0, content.length - window);
        outer:
        for (int i = content.length - needle.length; i >= start; i--) {
            for (int j = 0; j < needle.length; j++) {
                if (content[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
