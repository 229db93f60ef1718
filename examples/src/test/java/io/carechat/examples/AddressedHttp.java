package io.carechat.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * One HTTP/1.1 request per connection on a plain socket, from a chosen loopback address (Linux
 * routes all of {@code 127.0.0.0/8} to the loopback interface), so a test can act as a client
 * address of its own and gets no pooled or upgraded connection in its way. Stateless and
 * thread-safe.
 */
final class AddressedHttp {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A response: status, raw head and the body parsed as JSON when it is JSON. */
    record Response(int status, String head, JsonNode body) {
        Optional<String> header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return Optional.of(line.substring(colon + 1).trim());
                }
            }
            return Optional.empty();
        }

        String errorCode() {
            return body == null ? null : body.path("error").path("code").asText(null);
        }
    }

    private AddressedHttp() {}

    /** Opens a socket from a loopback address such as {@code 127.0.0.7} to a port of this machine. */
    static Socket connectFrom(String localAddress, int port) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(20_000);
        return socket;
    }

    /** Sends one request from a local address and reads the whole response. */
    static Response request(String localAddress, int port, String method, String path, String token, String json) {
        try (Socket socket = connectFrom(localAddress, port)) {
            byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1:").append(port).append("\r\nConnection: close\r\n");
            if (token != null) {
                head.append("Authorization: Bearer ").append(token).append("\r\n");
            }
            if (json != null) {
                head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
            }
            head.append("\r\n");
            socket.getOutputStream().write(head.toString().getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
            return parse(socket.getInputStream().readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Response parse(byte[] raw) throws IOException {
        String text = new String(raw, StandardCharsets.UTF_8);
        int split = text.indexOf("\r\n\r\n");
        String head = split < 0 ? text : text.substring(0, split);
        String rest = split < 0 ? "" : text.substring(split + 4);
        int status = Integer.parseInt(head.split(" ", 3)[1]);
        boolean isJson = head.toLowerCase(Locale.ROOT).contains("content-type: application/json");
        return new Response(status, head, isJson && !rest.isBlank() ? JSON.readTree(rest) : null);
    }
}
