package io.carechat.messaging.internal;

import io.carechat.messaging.error.UnsupportedMediaTypeException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Refuses a PDF that can act when opened: one naming JavaScript ({@code /JavaScript}, {@code /JS},
 * which also covers an {@code /OpenAction} or {@code /AA} that runs script), additional actions
 * ({@code /AA}), launching programs ({@code /Launch}), embedded files ({@code /EmbeddedFile},
 * {@code /EmbeddedFiles}), rich media ({@code /RichMedia}) or XML forms ({@code /XFA}).
 *
 * <p>Names are read as PDF reads them, with {@code #xx} escapes decoded, so {@code /J#61vaScript}
 * is {@code /JavaScript}. Streams compressed with Flate are inflated and read too, since object
 * streams hide dictionaries there; an object stream that cannot be inflated is refused, since it
 * cannot be checked. Inflation is bounded ({@link #MAX_INFLATED_BYTES}) so a compression bomb is
 * refused rather than expanded. Not API. Stateless.
 */
final class PdfActiveContent {
    /** The most bytes all of a file's streams may inflate to, together. */
    static final long MAX_INFLATED_BYTES = 64L * 1024 * 1024;

    private static final Set<String> ACTIVE_NAMES = Set.of(
            "JavaScript", "JS", "AA", "Launch", "EmbeddedFile", "EmbeddedFiles", "RichMedia", "XFA");
    private static final byte[] STREAM = "stream".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END_STREAM = "endstream".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OBJ = "obj".getBytes(StandardCharsets.US_ASCII);
    private static final Set<String> OBJECT_STREAM = Set.of("ObjStm");
    private static final String DELIMITERS = "()<>[]{}/%";

    private PdfActiveContent() {}

    /**
     * Checks a whole file that starts with {@code %PDF-}.
     *
     * @param content the file
     * @throws UnsupportedMediaTypeException if it has active content, or content that cannot be
     *     checked; the message names the kind, never the content
     */
    static void check(byte[] content) {
        refuseActiveNames(content, 0, content.length);
        long budget = MAX_INFLATED_BYTES;
        int from = 0;
        while (true) {
            int keyword = indexOf(content, STREAM, from);
            if (keyword < 0) {
                return;
            }
            int dataStart = afterEndOfLine(content, keyword + STREAM.length);
            if (dataStart < 0 || isEndStream(content, keyword)) {
                from = keyword + STREAM.length;
                continue;
            }
            int end = indexOf(content, END_STREAM, dataStart);
            if (end < 0) {
                throw new UnsupportedMediaTypeException("the PDF has a stream without its end");
            }
            byte[] inflated = inflate(content, dataStart, end - dataStart, budget);
            if (inflated != null) {
                budget -= inflated.length;
                refuseActiveNames(inflated, 0, inflated.length);
            } else if (isObjectStream(content, keyword)) {
                throw new UnsupportedMediaTypeException("the PDF has compressed objects that cannot be checked");
            }
            from = end + END_STREAM.length;
        }
    }

    private static void refuseActiveNames(byte[] text, int from, int to) {
        if (containsName(text, from, to, ACTIVE_NAMES)) {
            throw new UnsupportedMediaTypeException(
                    "the PDF has active content (scripts, actions, launches or embedded files)");
        }
    }

    /** Whether a name of {@code wanted} appears between {@code from} and {@code to}, escapes decoded. */
    private static boolean containsName(byte[] text, int from, int to, Set<String> wanted) {
        for (int i = from; i < to; i++) {
            if (text[i] == '/') {
                int end = nameEnd(text, i + 1, to);
                if (wanted.contains(decodeName(text, i + 1, end))) {
                    return true;
                }
                i = end - 1;
            }
        }
        return false;
    }

    private static int nameEnd(byte[] text, int from, int to) {
        int i = from;
        while (i < to && !isWhitespace(text[i]) && DELIMITERS.indexOf(text[i]) < 0) {
            i++;
        }
        return i;
    }

    private static String decodeName(byte[] text, int from, int to) {
        StringBuilder name = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            if (text[i] == '#' && i + 2 < to) {
                int hi = Character.digit(text[i + 1], 16);
                int lo = Character.digit(text[i + 2], 16);
                if (hi >= 0 && lo >= 0) {
                    name.append((char) (hi * 16 + lo));
                    i += 2;
                    continue;
                }
            }
            name.append((char) (text[i] & 0xff));
        }
        return name.toString();
    }

    /** Whether the dictionary just before a stream keyword declares an object stream. */
    private static boolean isObjectStream(byte[] content, int streamKeyword) {
        int dictionaryStart = Math.max(0, lastIndexOf(content, OBJ, streamKeyword));
        return containsName(content, dictionaryStart, streamKeyword, OBJECT_STREAM);
    }

    private static boolean isEndStream(byte[] content, int keyword) {
        return keyword >= 3 && content[keyword - 3] == 'e' && content[keyword - 2] == 'n' && content[keyword - 1] == 'd';
    }

    /** Inflates a stream's data, or returns null when it is not zlib data. */
    private static byte[] inflate(byte[] content, int offset, int length, long budget) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(content, offset, length);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                out.write(buffer, 0, n);
                if (out.size() > budget) {
                    throw new UnsupportedMediaTypeException("the PDF expands too far to be checked");
                }
            }
            return out.size() == 0 && !inflater.finished() ? null : out.toByteArray();
        } catch (DataFormatException e) {
            return null;
        } finally {
            inflater.end();
        }
    }

    private static int afterEndOfLine(byte[] content, int at) {
        if (at < content.length && content[at] == '\n') {
            return at + 1;
        }
        if (at + 1 < content.length && content[at] == '\r' && content[at + 1] == '\n') {
            return at + 2;
        }
        return -1;
    }

    private static boolean isWhitespace(byte b) {
        return b == 0 || b == '\t' || b == '\n' || b == '\f' || b == '\r' || b == ' ';
    }

    private static int indexOf(byte[] content, byte[] needle, int from) {
        outer:
        for (int i = from; i <= content.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (content[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static int lastIndexOf(byte[] content, byte[] needle, int before) {
        outer:
        for (int i = before - needle.length; i >= 0; i--) {
            for (int j = 0; j < needle.length; j++) {
                if (content[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
