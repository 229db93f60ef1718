package io.carechat.messaging.internal;

import io.carechat.messaging.error.UnsupportedMediaTypeException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Checks that an upload which starts like a PNG is one, chunk by chunk: the header chunk
 * ({@code IHDR}) comes first and is valid, every chunk's CRC matches, no unknown critical chunk
 * appears, there is image data, and nothing follows the {@code IEND} chunk. A file that only wears
 * PNG's signature (an HTML page behind eight bytes, say) is refused. Not API. Stateless.
 */
final class PngStructure {
    /** The PNG signature. */
    static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private static final int CHUNK_OVERHEAD = 12;
    private static final int HEADER_LENGTH = 13;

    private PngStructure() {}

    /**
     * Checks a whole file that starts with {@link #SIGNATURE}.
     *
     * @param content the file
     * @throws UnsupportedMediaTypeException naming what is wrong, never echoing the content
     */
    static void check(byte[] content) {
        CRC32 crc = new CRC32();
        int pos = SIGNATURE.length;
        int chunks = 0;
        boolean imageData = false;
        while (true) {
            if (content.length - pos < CHUNK_OVERHEAD) {
                throw refused("is incomplete");
            }
            long length = uint32(content, pos);
            if (length > content.length - pos - CHUNK_OVERHEAD) {
                throw refused("is incomplete");
            }
            int typeAt = pos + 4;
            int dataAt = pos + 8;
            int dataLength = (int) length;
            String type = chunkType(content, typeAt);
            crc.reset();
            crc.update(content, typeAt, 4 + dataLength);
            if (crc.getValue() != uint32(content, dataAt + dataLength)) {
                throw refused("has a chunk whose CRC does not match");
            }
            if (chunks == 0 && !type.equals("IHDR")) {
                throw refused("does not start with its header chunk (IHDR)");
            }
            pos = dataAt + dataLength + 4;
            chunks++;
            switch (type) {
                case "IHDR":
                    if (chunks > 1) {
                        throw refused("has a second header chunk");
                    }
                    checkHeader(content, dataAt, dataLength);
                    break;
                case "IDAT":
                    imageData = true;
                    break;
                case "IEND":
                    if (dataLength != 0) {
                        throw refused("has a malformed end chunk");
                    }
                    if (!imageData) {
                        throw refused("has no image data");
                    }
                    if (pos != content.length) {
                        throw refused("has data after its end chunk");
                    }
                    return;
                case "PLTE":
                    break;
                default:
                    if (Character.isUpperCase(type.charAt(0))) {
                        throw refused("has an unknown critical chunk");
                    }
            }
        }
    }

    private static void checkHeader(byte[] content, int at, int length) {
        if (length != HEADER_LENGTH) {
            throw refused("has a malformed header chunk");
        }
        long width = uint32(content, at);
        long height = uint32(content, at + 4);
        if (width == 0 || height == 0 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            throw refused("has an invalid size");
        }
        int bitDepth = content[at + 8] & 0xff;
        int colourType = content[at + 9] & 0xff;
        boolean valid;
        switch (colourType) {
            case 0:
                valid = bitDepth == 1 || bitDepth == 2 || bitDepth == 4 || bitDepth == 8 || bitDepth == 16;
                break;
            case 3:
                valid = bitDepth == 1 || bitDepth == 2 || bitDepth == 4 || bitDepth == 8;
                break;
            case 2:
            case 4:
            case 6:
                valid = bitDepth == 8 || bitDepth == 16;
                break;
            default:
                valid = false;
        }
        int compression = content[at + 10];
        int filter = content[at + 11];
        int interlace = content[at + 12];
        if (!valid || compression != 0 || filter != 0 || (interlace != 0 && interlace != 1)) {
            throw refused("has an invalid header chunk");
        }
    }

    private static String chunkType(byte[] content, int at) {
        for (int i = at; i < at + 4; i++) {
            int b = content[i];
            if (!(b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z')) {
                throw refused("has a malformed chunk");
            }
        }
        return new String(content, at, 4, StandardCharsets.US_ASCII);
    }

    private static long uint32(byte[] content, int at) {
        return ((long) (content[at] & 0xff) << 24) | ((content[at + 1] & 0xff) << 16)
                | ((content[at + 2] & 0xff) << 8) | (content[at + 3] & 0xff);
    }

    private static UnsupportedMediaTypeException refused(String what) {
        return new UnsupportedMediaTypeException("the PNG image " + what);
    }
}
