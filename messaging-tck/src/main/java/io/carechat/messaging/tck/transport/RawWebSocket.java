package io.carechat.messaging.tck.transport;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client written on a plain socket, for the misbehaviour a real client library
 * prevents: odd upgrade requests, oversized or binary frames, not reading. Every read waits at
 * most {@link #READ_TIMEOUT}. Not thread-safe; one test uses it and closes it.
 */
public final class RawWebSocket implements AutoCloseable {
    /** The longest any read waits for the server. */
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
    /** Opcode of a text frame. */
    public static final int TEXT = 0x1;
    /** Opcode of a continuation frame. */
    public static final int CONTINUATION = 0x0;
    /** Opcode of a binary frame. */
    public static final int BINARY = 0x2;
    /** Opcode of a close frame. */
    public static final int CLOSE = 0x8;
    /** Opcode of a ping frame. */
    public static final int PING = 0x9;

    /**
     * A frame from the server.
     *
     * @param opcode the frame's opcode
     * @param payload its payload, unmasked
     */
    public record Frame(int opcode, byte[] payload) {
        /** The payload as UTF-8 text. */
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The code of a close frame, 1005 when it has none. */
        public int closeCode() {
            return payload.length < 2 ? 1005 : ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
        }

        /** The reason of a close frame, empty when it has none. */
        public String closeReason() {
            return payload.length <= 2 ? "" : new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final String responseHead;

    private RawWebSocket(Socket socket, String responseHead) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.responseHead = responseHead;
    }

    /** Connects and sends an upgrade request for a target such as {@code /ws}, with extra headers. */
    public static RawWebSocket upgrade(int port, String target, Map<String, String> headers) throws IOException {
        return upgrade(port, target, headers, 0);
    }

    /** As {@link #upgrade(int, String, Map)}, with a small receive buffer when positive. */
    public static RawWebSocket upgrade(int port, String target, Map<String, String> headers, int receiveBuffer)
            throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        return upgrade(socket, port, target, headers);
    }

    /** Sends an upgrade request on a connected socket, such as a TLS one. */
    public static RawWebSocket upgrade(Socket socket, int port, String target, Map<String, String> headers) throws IOException {
        socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
        StringBuilder request = new StringBuilder()
                .append("GET ").append(target).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(port).append("\r\n")
                .append("Upgrade: websocket\r\n")
                .append("Connection: Upgrade\r\n")
                .append("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n")
                .append("Sec-WebSocket-Version: 13\r\n");
        headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        request.append("\r\n");
        socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return new RawWebSocket(socket, readHead(socket.getInputStream()));
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** The HTTP status of the upgrade response, such as 101 or 403. */
    public int status() {
        String[] parts = responseHead.split(" ", 3);
        return parts.length < 2 ? -1 : Integer.parseInt(parts[1]);
    }

    /** The upgrade response's status line and headers. */
    public String responseHead() {
        return responseHead;
    }

    /** Sends one masked text frame. */
    public void sendText(String text) throws IOException {
        sendFrame(TEXT, true, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends one masked frame. */
    public void sendFrame(int opcode, boolean fin, byte[] payload) throws IOException {
        writeHeader(opcode, fin, payload.length);
        byte[] mask = mask();
        out.write(mask);
        byte[] masked = new byte[payload.length];
        for (int i = 0; i < payload.length; i++) {
            masked[i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        out.write(masked);
        out.flush();
    }

    /**
     * Sends bytes as they are, for what no well-behaved client writes: unmasked or reserved-bit
     * frames, several frames in one write, a frame cut off midway.
     */
    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /**
     * Encodes one masked frame with the given first byte (FIN, reserved bits and opcode), for
     * {@link #sendRaw(byte[])}.
     *
     * @param firstByte FIN, RSV1-3 and the opcode
     * @param payload the payload, unmasked
     * @return the frame's bytes
     */
    public static byte[] maskedFrame(int firstByte, byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write(firstByte);
        if (payload.length <= 125) {
            frame.write(0x80 | payload.length);
        } else if (payload.length <= 65_535) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xff);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift) & 0xff);
            }
        }
        byte[] mask = mask();
        frame.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        return frame.toByteArray();
    }

    /** Sends the header of a frame announcing a payload, and only the first bytes of it. */
    public void sendHeaderAnnouncing(int opcode, long payloadLength, int bytesSent) throws IOException {
        writeHeader(opcode, true, payloadLength);
        out.write(mask());
        out.write(new byte[bytesSent]);
        out.flush();
    }

    private void writeHeader(int opcode, boolean fin, long length) throws IOException {
        out.write((fin ? 0x80 : 0) | opcode);
        if (length <= 125) {
            out.write(0x80 | (int) length);
        } else if (length <= 65_535) {
            out.write(0x80 | 126);
            out.write((int) (length >>> 8) & 0xff);
            out.write((int) length & 0xff);
        } else {
            out.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) (length >>> shift) & 0xff);
            }
        }
    }

    private static byte[] mask() {
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        return mask;
    }

    /** Reads the next frame from the server, answering nothing. */
    public Frame readFrame() throws IOException {
        int first = in.readUnsignedByte();
        int second = in.readUnsignedByte();
        long length = second & 0x7f;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[Math.toIntExact(length)];
        in.readFully(payload);
        return new Frame(first & 0x0f, payload);
    }

    /** Reads the next text frame, skipping pings. */
    public String readText() throws IOException {
        while (true) {
            Frame frame = readFrame();
            if (frame.opcode() == TEXT) {
                return frame.text();
            }
            if (frame.opcode() == CLOSE) {
                throw new IOException("closed with " + frame.closeCode());
            }
        }
    }

    /** Reads until the close frame and returns it. */
    public Frame awaitClose() throws IOException {
        while (true) {
            Frame frame = readFrame();
            if (frame.opcode() == CLOSE) {
                return frame;
            }
        }
    }

    /**
     * Reads until the close frame and returns it, waiting up to {@code within} for each frame
     * instead of {@link #READ_TIMEOUT}: for a close the server sends only after a timeout of its own
     * as long as {@link #READ_TIMEOUT}, such as the auth timeout.
     */
    public Frame awaitClose(Duration within) throws IOException {
        socket.setSoTimeout((int) within.toMillis());
        return awaitClose();
    }

    /** Reads until the close frame and returns its code. */
    public int awaitCloseCode() throws IOException {
        while (true) {
            Frame frame = readFrame();
            if (frame.opcode() == CLOSE) {
                return frame.closeCode();
            }
        }
    }

    /** Tells whether the server closed the TCP connection (end of stream). */
    public boolean endOfStream() throws IOException {
        return in.read() < 0;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
