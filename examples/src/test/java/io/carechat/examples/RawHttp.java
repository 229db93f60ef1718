package io.carechat.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * HTTP/1.1 spoken byte by byte over a plain loopback socket, for requests a real client refuses to
 * send: malformed framing, duplicate lengths, control characters in headers, bodies that never
 * end. Each exchange uses its own connection and reads until the server closes it or
 * {@link #READ_TIMEOUT} passes.
 */
final class RawHttp {
    /** The longest an exchange waits for the server. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int port;

    RawHttp(int port) {
        this.port = port;
    }

    /**
     * What came back: the status (-1 when the connection ended, or was reset, without an answer),
     * the head as text and the body.
     */
    record Answer(int status, String head, String body) {
        /** The value of a response header, or null; names compare case-insensitively. */
        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }

        /** The body as JSON when the answer says it is JSON, else null. */
        JsonNode json() {
            String type = header("Content-Type");
            if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
                return null;
            }
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("a JSON answer that is not JSON: " + body, e);
            }
        }
    }

    /** Sends the bytes as they are and reads the answer. */
    Answer exchange(byte[] request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
            try {
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
            } catch (IOException refusedMidway) {
                // the server may answer and close before reading a long request to its end
            }
            return read(socket.getInputStream());
        }
    }

    /** Sends a request given as text (ISO-8859-1, so any byte can be written as a char). */
    Answer exchange(String request) throws IOException {
        return exchange(request.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[16 * 1024];
        try {
            int n;
            while ((n = in.read(buffer)) != -1) {
                all.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server neither answered nor closed within " + READ_TIMEOUT, e);
        } catch (IOException reset) {
            // a reset after (or instead of) the answer: keep what arrived
        }
        String text = all.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.1 ") || end < 0) {
            return new Answer(-1, text, "");
        }
        String head = text.substring(0, end);
        String body = new String(all.toByteArray(), end + 4, all.size() - end - 4, StandardCharsets.UTF_8);
        return new Answer(Integer.parseInt(head.substring(9, 12)), head, body);
    }
}
