package io.carechat.messaging.websocket;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client written on a plain socket, for the misbehaviour a real client library
 * prevents: odd upgrade requests, oversized or binary frames, not reading. Not thread-safe.
 */
final class RawClient implements AutoCloseable {
    static final int TEXT = 0x1;
    static final int CONTINUATION = 0x0;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;

    /** A frame from the server. */
    record Frame(int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return payload.length < 2 ? 1005 : ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final String responseHead;

    private RawClient(Socket socket, String responseHead) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.responseHead = responseHead;
    }

    /** Connects and sends an upgrade request for a target such as {@code /ws}, with extra headers. */
    static RawClient upgrade(int port, String target, Map<String, String> headers) throws IOException {
        return upgrade(port, target, headers, 0);
    }

    /** As {@link #upgrade(int, String, Map)}, with a small receive buffer when positive. */
    static RawClient upgrade(int port, String target, Map<String, String> headers, int receiveBuffer)
            throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.setTcpNoDelay(true);
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5000);
        return upgrade(socket, port, target, headers);
    }

    /** Sends an upgrade request on a connected socket, such as a TLS one. */
    static RawClient upgrade(Socket socket, int port, String target, Map<String, String> headers) throws IOException {
        socket.setSoTimeout((int) Await.LIMIT.toMillis());
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
        return new RawClient(socket, readHead(socket.getInputStream()));
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
    int status() {
        String[] parts = responseHead.split(" ", 3);
        return parts.length < 2 ? -1 : Integer.parseInt(parts[1]);
    }

    /** The upgrade response's status line and headers. */
    String responseHead() {
        return responseHead;
    }

    void sendText(String text) throws IOException {
        sendFrame(TEXT, true, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends one masked frame. */
    void sendFrame(int opcode, boolean fin, byte[] payload) throws IOException {
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

    /** Sends the header of a frame announcing a payload, and only the first bytes of it. */
    void sendHeaderAnnouncing(int opcode, long payloadLength, int bytesSent) throws IOException {
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
    Frame readFrame() throws IOException {
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
    String readText() throws IOException {
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

    /** Reads until the close frame and returns its code. */
    int awaitCloseCode() throws IOException {
        while (true) {
            Frame frame = readFrame();
            if (frame.opcode() == CLOSE) {
                return frame.closeCode();
            }
        }
    }

    /** Tells whether the server closed the TCP connection (end of stream). */
    boolean endOfStream() throws IOException {
        return in.read() < 0;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
