package io.carechat.messaging.websocket.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.exceptions.InvalidFrameException;
import org.java_websocket.framing.CloseFrame;

/**
 * Follows the frame boundaries of a client's byte stream and holds it to two rules of RFC 6455 the
 * library lets pass: every client frame is masked (section 5.1; refused with 1002), and a close
 * frame's reason is UTF-8 (section 5.5.1; refused with 1007). It reads only the headers, across
 * reads that split them, and the short payload of close frames; it skips every other payload, and
 * the draft parses the frames themselves.
 *
 * <p>Not API. One per socket, used from one thread at a time.
 */
final class ClientFrameCheck {
    /** The longest header: 2 bytes, 8 of extended length, 4 of mask key. */
    private static final int MAX_HEADER = 14;
    private static final int CLOSE = 0x8;
    /** A control frame's payload is at most this long; a longer one the draft refuses. */
    private static final int MAX_CONTROL_PAYLOAD = 125;

    private final byte[] header = new byte[MAX_HEADER];
    private int headerBytes;
    /** Payload bytes of the current frame still to go. */
    private long payloadLeft;
    /** The current close frame's payload as it comes in, masked; null for any other frame. */
    private byte[] closePayload;
    private final byte[] closeMask = new byte[4];

    /**
     * Looks at the bytes just read, without consuming them.
     *
     * @param bytes the bytes, between position and limit
     * @throws InvalidFrameException at a frame without a mask
     * @throws InvalidDataException at a close frame whose reason is not UTF-8
     */
    void check(ByteBuffer bytes) throws InvalidDataException {
        ByteBuffer view = bytes.duplicate();
        while (view.hasRemaining()) {
            if (payloadLeft > 0) {
                int take = (int) Math.min(payloadLeft, view.remaining());
                if (closePayload != null) {
                    view.get(closePayload, closePayload.length - (int) payloadLeft, take);
                } else {
                    view.position(view.position() + take);
                }
                payloadLeft -= take;
                if (payloadLeft == 0 && closePayload != null) {
                    checkCloseReason();
                }
                continue;
            }
            header[headerBytes++] = view.get();
            int needed = headerLength();
            if (needed > 0 && headerBytes == needed) {
                startPayload(needed);
            }
        }
    }

    private void startPayload(int headerLength) throws InvalidFrameException {
        if ((header[1] & 0x80) == 0) {
            throw new InvalidFrameException("client frames must be masked");
        }
        payloadLeft = payloadLength();
        headerBytes = 0;
        closePayload = null;
        if ((header[0] & 0x0f) == CLOSE && payloadLeft <= MAX_CONTROL_PAYLOAD) {
            System.arraycopy(header, headerLength - 4, closeMask, 0, 4);
            closePayload = new byte[(int) payloadLeft];
            if (payloadLeft == 0) {
                closePayload = null;
            }
        }
    }

    private void checkCloseReason() throws InvalidDataException {
        byte[] payload = closePayload;
        closePayload = null;
        if (payload.length <= 2) {
            return;
        }
        byte[] reason = new byte[payload.length - 2];
        for (int i = 2; i < payload.length; i++) {
            reason[i - 2] = (byte) (payload[i] ^ closeMask[i % 4]);
        }
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(reason));
        } catch (CharacterCodingException e) {
            throw new InvalidDataException(CloseFrame.NO_UTF8, "the close reason is not UTF-8");
        }
    }

    /** The whole header's length once its first two bytes are in; 0 before. */
    private int headerLength() {
        if (headerBytes < 2) {
            return 0;
        }
        int length7 = header[1] & 0x7f;
        int extended = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
        int mask = (header[1] & 0x80) != 0 ? 4 : 0;
        return 2 + extended + mask;
    }

    private long payloadLength() {
        int length7 = header[1] & 0x7f;
        if (length7 < 126) {
            return length7;
        }
        int bytes = length7 == 126 ? 2 : 8;
        long length = 0;
        for (int i = 0; i < bytes; i++) {
            length = (length << 8) | (header[2 + i] & 0xff);
        }
        // a length with its top bit set is refused by the draft's own checks; skip nothing past it
        return Math.max(0, length);
    }
}
