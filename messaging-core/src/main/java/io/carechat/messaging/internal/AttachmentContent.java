package io.carechat.messaging.internal;

import io.carechat.messaging.error.UnsupportedMediaTypeException;
import java.nio.charset.StandardCharsets;

/**
 * Recognises an upload's type from its bytes alone (never its name or declared type) and checks
 * enough of its structure that a truncated file is refused: a PDF starts with {@code %PDF-} and has
 * {@code %%EOF} near its end; a PNG has the PNG signature and ends with an {@code IEND} chunk; a
 * JPEG starts with {@code FF D8 FF} and ends with {@code FF D9}. Not API. Stateless.
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
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final byte[] PNG_END = {'I', 'E', 'N', 'D', (byte) 0xae, 0x42, 0x60, (byte) 0x82};
    private static final byte[] JPEG_MAGIC = {(byte) 0xff, (byte) 0xd8, (byte) 0xff};
    private static final byte[] JPEG_END = {(byte) 0xff, (byte) 0xd9};
    private static final int PDF_TRAILER_WINDOW = 1024;

    private AttachmentContent() {}

    /**
     * The type of a complete upload.
     *
     * @param content the bytes
     * @return {@link #PDF}, {@link #PNG} or {@link #JPEG}
     * @throws UnsupportedMediaTypeException if it is none of them, or one of them cut short
     */
    public static String typeOf(byte[] content) {
        if (startsWith(content, PDF_MAGIC)) {
            if (!containsNearEnd(content, PDF_END, PDF_TRAILER_WINDOW)) {
                throw new UnsupportedMediaTypeException("the PDF is incomplete");
            }
            return PDF;
        }
        if (startsWith(content, PNG_MAGIC)) {
            if (!endsWith(content, PNG_END)) {
                throw new UnsupportedMediaTypeException("the PNG image is incomplete");
            }
            return PNG;
        }
        if (startsWith(content, JPEG_MAGIC)) {
            if (!endsWith(content, JPEG_END)) {
                throw new UnsupportedMediaTypeException("the JPEG image is incomplete");
            }
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

    private static boolean endsWith(byte[] content, byte[] suffix) {
        int from = content.length - suffix.length;
        if (from < 0) {
            return false;
        }
        for (int i = 0; i < suffix.length; i++) {
            if (content[from + i] != suffix[i]) {
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
