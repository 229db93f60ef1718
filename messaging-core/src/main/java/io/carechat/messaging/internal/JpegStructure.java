package io.carechat.messaging.internal;

import io.carechat.messaging.error.UnsupportedMediaTypeException;

/**
 * Checks that an upload which starts like a JPEG is one, segment by segment: every marker is
 * well-formed and its length fits, a frame header precedes the first scan, the entropy-coded data
 * of each scan is followed by a marker, and nothing follows the end-of-image marker. A file that
 * only wears JPEG's first bytes is refused. Not API. Stateless.
 */
final class JpegStructure {
    /** The start-of-image marker and the first byte of the next marker. */
    static final byte[] SIGNATURE = {(byte) 0xff, (byte) 0xd8, (byte) 0xff};

    private static final int START_OF_IMAGE = 0xd8;
    private static final int END_OF_IMAGE = 0xd9;
    private static final int START_OF_SCAN = 0xda;
    private static final int TEMPORARY = 0x01;

    private JpegStructure() {}

    /**
     * Checks a whole file that starts with {@link #SIGNATURE}.
     *
     * @param content the file
     * @throws UnsupportedMediaTypeException naming what is wrong, never echoing the content
     */
    static void check(byte[] content) {
        int pos = 2;
        boolean frame = false;
        boolean scan = false;
        while (true) {
            if (pos >= content.length) {
                throw refused("is incomplete");
            }
            if ((content[pos] & 0xff) != 0xff) {
                throw refused("has a malformed segment");
            }
            while (pos < content.length && (content[pos] & 0xff) == 0xff) {
                pos++;
            }
            if (pos >= content.length) {
                throw refused("is incomplete");
            }
            int marker = content[pos++] & 0xff;
            if (marker == END_OF_IMAGE) {
                if (!scan) {
                    throw refused("has no image data");
                }
                if (pos != content.length) {
                    throw refused("has data after its end marker");
                }
                return;
            }
            if (marker == TEMPORARY) {
                continue;
            }
            if (marker == 0x00 || marker == START_OF_IMAGE || isRestart(marker)) {
                throw refused("has a malformed segment");
            }
            if (content.length - pos < 2) {
                throw refused("is incomplete");
            }
            int length = ((content[pos] & 0xff) << 8) | (content[pos + 1] & 0xff);
            if (length < 2) {
                throw refused("has a malformed segment");
            }
            if (length > content.length - pos) {
                throw refused("is incomplete");
            }
            pos += length;
            if (isFrameHeader(marker)) {
                frame = true;
            } else if (marker == START_OF_SCAN) {
                if (!frame) {
                    throw refused("has a scan before its frame header");
                }
                scan = true;
                pos = endOfEntropyCodedData(content, pos);
            }
        }
    }

    /** The position of the marker that ends a scan's entropy-coded data. */
    private static int endOfEntropyCodedData(byte[] content, int from) {
        int pos = from;
        while (pos < content.length - 1) {
            if ((content[pos] & 0xff) == 0xff) {
                int next = content[pos + 1] & 0xff;
                if (next == 0x00 || isRestart(next)) {
                    pos += 2;
                    continue;
                }
                if (next != 0xff) {
                    return pos;
                }
            }
            pos++;
        }
        throw refused("is incomplete");
    }

    private static boolean isRestart(int marker) {
        return marker >= 0xd0 && marker <= 0xd7;
    }

    private static boolean isFrameHeader(int marker) {
        return marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
    }

    private static UnsupportedMediaTypeException refused(String what) {
        return new UnsupportedMediaTypeException("the JPEG image " + what);
    }
}
