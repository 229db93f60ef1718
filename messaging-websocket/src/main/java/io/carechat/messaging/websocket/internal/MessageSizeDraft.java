package io.carechat.messaging.websocket.internal;

import java.nio.ByteBuffer;
import java.util.List;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.enums.Opcode;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.exceptions.LimitExceededException;
import org.java_websocket.extensions.DefaultExtension;
import org.java_websocket.framing.Framedata;
import org.java_websocket.protocols.Protocol;

/**
 * RFC 6455 as a server must hold clients to it, without extensions (so without
 * permessage-deflate) and with one payload limit for both a single frame and a message assembled
 * from fragments. The library checks a frame's announced length before buffering its payload, but
 * a fragmented message only at its first and last fragment; this draft also counts the fragments
 * in between, so a client cannot grow a message without bound. Exceeding the limit closes the
 * socket with 1009. A frame without a mask closes it with 1002 ({@link ClientFrameCheck}), and a
 * close frame whose reason is not UTF-8 with 1007 (the library would leave that socket open).
 *
 * <p>Not API. One instance per socket (the library copies the draft for each), used from one
 * thread at a time.
 */
public final class MessageSizeDraft extends Draft_6455 {
    private final int limit;
    private final ClientFrameCheck checks = new ClientFrameCheck();
    private long fragmentedBytes;

    /**
     * Creates the draft.
     *
     * @param limit the most payload bytes per frame and per message
     */
    public MessageSizeDraft(int limit) {
        super(List.of(new DefaultExtension()), List.of(new Protocol("")), limit);
        this.limit = limit;
    }

    @Override
    public List<Framedata> translateFrame(ByteBuffer buffer) throws InvalidDataException {
        checks.check(buffer);
        return super.translateFrame(buffer);
    }

    @Override
    public void processFrame(WebSocketImpl socket, Framedata frame) throws InvalidDataException {
        Opcode opcode = frame.getOpcode();
        if (opcode == Opcode.TEXT || opcode == Opcode.BINARY) {
            fragmentedBytes = frame.isFin() ? 0 : frame.getPayloadData().remaining();
        } else if (opcode == Opcode.CONTINUOUS) {
            fragmentedBytes += frame.getPayloadData().remaining();
            if (fragmentedBytes > limit) {
                fragmentedBytes = 0;
                throw new LimitExceededException("message too large", limit);
            }
            if (frame.isFin()) {
                fragmentedBytes = 0;
            }
        }
        super.processFrame(socket, frame);
    }

    @Override
    public Draft copyInstance() {
        return new MessageSizeDraft(limit);
    }
}
