package io.carechat.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile HTTP requests against the running demo jar, written byte by byte: malformed JSON, wrong
 * content types, huge and slow bodies, path tricks, unknown methods, control characters and
 * conflicting lengths in headers. Requests that reach the API get a 4xx with the contract's error
 * body; the few the JDK's HTTP server refuses before any handler runs get its own short 400 (501
 * for an unknown {@code Transfer-Encoding}, as HTTP asks) and the connection closed. Never a 500,
 * never a stack trace, and the server keeps serving. {@code docs/reliability.md} lists the cases.
 */
@DisplayName("The running demo answers hostile HTTP requests with a 4xx and keeps serving")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HttpAbuseIT {
    private static final int READ_TIMEOUT_SECONDS = 2;
    private static final String HOST = "Host: 127.0.0.1\r\nConnection: close\r\n";

    @TempDir
    static Path workDir;

    static DemoProcess server;
    static RawHttp raw;
    static String token;

    /** How the server must answer a case. */
    enum Expect {
        /** A handler answers: the given 4xx with {@code {"error":{"code","message"}}}. */
        API_ERROR,
        /** Jetty answers before any handler: the given status, and it closes the connection. */
        SERVER_REFUSAL,
        /** The web UI's files: the given 4xx, and nothing from outside the UI's files. */
        STATIC,
        /**
         * A path trick against the web UI: not served, whether Jetty refuses the path itself (400,
         * dot segments and escapes it will not resolve) or the UI finds no such file (404).
         */
        NOT_SERVED,
        /** The server ends the connection, with or without a 4xx (over-long headers, not HTTP at all). */
        CLOSED
    }

    @BeforeAll
    static void start() throws Exception {
        server = DemoProcess.start(workDir, Map.of(
                "CARECHAT_HTTP_READ_TIMEOUT_SECONDS", Integer.toString(READ_TIMEOUT_SECONDS)));
        raw = new RawHttp(server.httpPort);
        token = new Http(server.baseUrl()).login("sam", Seeding.DEMO_PASSWORD);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static Stream<Arguments> requests() {
        List<Arguments> cases = new ArrayList<>();
        // Bodies
        cases.add(api("malformed JSON", post("/api/auth/login", "{\"login\":"), 400));
        cases.add(api("JSON that is not an object", post("/api/auth/login", "[1,2]"), 400));
        cases.add(api("JSON nested 5,000 deep", post("/api/auth/login", "[".repeat(5000) + "]".repeat(5000)), 400));
        cases.add(api("a number of 200,000 digits", post("/api/auth/login",
                "{\"login\":" + "9".repeat(200_000) + ",\"password\":\"x\"}"), 400));
        cases.add(api("invalid UTF-8 in JSON", post("/api/auth/login", "{\"login\":\"\u00ff\u00fe\",\"password\":\"x\"}"), 400));
        cases.add(api("text/plain instead of JSON", post("/api/auth/login", "{}", "text/plain"), 415));
        cases.add(api("no Content-Type", post("/api/auth/login", "{}", null), 415));
        cases.add(api("Content-Length of 10 GB", "POST /api/auth/login HTTP/1.1\r\n" + HOST
                + "Content-Type: application/json\r\nContent-Length: 10000000000\r\n\r\n{", 413));
        cases.add(api("a 2 MB body", post("/api/auth/login", "{\"login\":\"" + "a".repeat(2_000_000) + "\"}"), 413));
        StringBuilder chunks = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            chunks.append("10000\r\n").append("a".repeat(65_536)).append("\r\n");
        }
        cases.add(api("a 1.3 MB chunked body", "POST /api/auth/login HTTP/1.1\r\n" + HOST
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks + "0\r\n\r\n", 413));
        cases.add(api("a malformed chunk length", "POST /api/auth/login HTTP/1.1\r\n" + HOST
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", 400));
        // Paths
        cases.add(api("/api/../web/index.html", get("/api/../web/index.html"), 404));
        cases.add(api("/api/%2e%2e/health", get("/api/%2e%2e/health"), 400));
        cases.add(api("an encoded slash in an id", get("/api/conversations/a%2Fb/messages"), 404));
        cases.add(api("a path parameter", get("/api/me;x=1"), 404));
        cases.add(api("an id of 70 characters", get("/api/conversations/" + "a".repeat(70) + "/messages"), 404));
        cases.add(api("an API path of 60,000 characters", get("/api/" + "a".repeat(60_000)), 404));
        cases.add(api("a token in the query string", get("/api/config?access_token=abc"), 400));
        cases.add(api("a number too large for a query parameter", "GET /api/conversations/x/messages"
                + "?limit=99999999999999999999999 HTTP/1.1\r\n" + HOST + "Authorization: Bearer " + token + "\r\n\r\n",
                400));
        cases.add(fromUi("/../../etc/passwd", get("/../../etc/passwd")));
        cases.add(fromUi("encoded dot segments", get("/%2e%2e/%2e%2e/etc/passwd")));
        cases.add(fromUi("double-encoded dot segments", get("/%252e%252e/%252e%252e/etc/passwd")));
        cases.add(fromUi("encoded slashes", get("/web/..%2f..%2fetc/passwd")));
        cases.add(fromUi("a double slash", get("//etc/passwd")));
        cases.add(fromUi("an encoded NUL", get("/index.html%00.png")));
        cases.add(fromUi("a path of 60,000 characters", get("/" + "a".repeat(60_000))));
        // Methods
        for (String method : List.of("FOO", "TRACE", "PROPFIND", "DELETE", "PATCH", "get")) {
            cases.add(api(method + " /api/me", method + " /api/me HTTP/1.1\r\n" + HOST + "\r\n", 405));
        }
        cases.add(api("FOO on an unknown API path", "FOO /api/nothing HTTP/1.1\r\n" + HOST + "\r\n", 404));
        cases.add(Arguments.of("TRACE on a UI file", "TRACE /index.html HTTP/1.1\r\n" + HOST + "\r\n",
                Expect.STATIC, 405));
        // Headers
        cases.add(api("CR inside a header value", "GET /api/me HTTP/1.1\r\n" + HOST
                + "Authorization: Bearer a\rSet-Cookie: injected=1\r\n\r\n", 400));
        cases.add(api("LF inside a header value", "GET /api/me HTTP/1.1\r\n" + HOST
                + "Authorization: Bearer a\nSet-Cookie: injected=1\r\n\r\n", 401));
        cases.add(api("a folded X-Filename", "POST /api/attachments HTTP/1.1\r\n" + HOST
                + "Authorization: Bearer a\r\nX-Filename: a\r\n\tSet-Cookie: injected=1\r\n"
                + "Content-Type: application/pdf\r\nContent-Length: 2\r\n\r\nab", 400));
        cases.add(api("a bearer token of 100 KB", "GET /api/me HTTP/1.1\r\n" + HOST
                + "Authorization: Bearer " + "a.".repeat(50_000) + "\r\n\r\n", 401));
        cases.add(api("a bearer token that is not ASCII", "GET /api/me HTTP/1.1\r\n" + HOST
                + "Authorization: Bearer \u00e9\u00ff\r\n\r\n", 401));
        cases.add(refused("two different Content-Lengths", "POST /api/auth/login HTTP/1.1\r\n" + HOST
                + "Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 20\r\n\r\n{}", 400));
        cases.add(refused("Content-Length and Transfer-Encoding together", "POST /api/auth/login HTTP/1.1\r\n"
                + HOST + "Content-Type: application/json\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "0\r\n\r\n", 400));
        cases.add(refused("a negative Content-Length", "POST /api/auth/login HTTP/1.1\r\n" + HOST
                + "Content-Type: application/json\r\nContent-Length: -5\r\n\r\n{", 400));
        cases.add(refused("a Content-Length that is not a number", "POST /api/auth/login HTTP/1.1\r\n" + HOST
                + "Content-Type: application/json\r\nContent-Length: abc\r\n\r\n{", 400));
        cases.add(refused("an unknown Transfer-Encoding", "POST /api/auth/login HTTP/1.1\r\n" + HOST
                + "Content-Type: application/json\r\nTransfer-Encoding: gzip\r\n\r\n{}", 400));
        cases.add(refused("a header line without a colon", "GET /api/me HTTP/1.1\r\n" + HOST + "NoColon\r\n\r\n", 400));
        cases.add(refused("a malformed percent escape", get("/api/%ZZ"), 400));
        cases.add(refused("a request line that is not HTTP", "GARBAGE\r\n\r\n", 400));
        cases.add(Arguments.of("a header of 2 MB", "GET /api/me HTTP/1.1\r\n" + HOST + "X-Big: "
                + "a".repeat(2_000_000) + "\r\n\r\n", Expect.CLOSED, 0));
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 5_000; i++) {
            many.append("X-H").append(i).append(": v\r\n");
        }
        cases.add(Arguments.of("5,000 headers", "GET /api/me HTTP/1.1\r\n" + HOST + many + "\r\n", Expect.CLOSED, 0));
        cases.add(Arguments.of("a TLS ClientHello on the plain port",
                "\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\u00a1\u0003\u0003" + "\u0000".repeat(200),
                Expect.CLOSED, 0));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @Order(0)
    @MethodSource("requests")
    @DisplayName("each hostile request gets a 4xx (the contract's error body wherever a handler answers), never a 500 or a stack trace")
    void hostileRequest(String name, String request, Expect expect, int status) throws IOException {
        RawHttp.Answer answer = raw.exchange(request);
        assertThat(answer.status()).as("never a server failure").isNotEqualTo(500);
        assertThat(answer.head() + answer.body()).as("nothing of the server's insides")
                .doesNotContain("\tat ").doesNotContain("io.carechat").doesNotContain("injected=1")
                .doesNotContain("root:");
        switch (expect) {
            case API_ERROR -> {
                assertThat(answer.status()).isEqualTo(status);
                JsonNode body = answer.json();
                assertThat(body).as("the contract's error body, was: %s", answer.body()).isNotNull();
                assertThat(body.size()).isEqualTo(1);
                assertThat(body.path("error").path("code").isTextual()).isTrue();
                assertThat(body.path("error").path("message").isTextual()).isTrue();
                assertThat(body.path("error").size()).isEqualTo(2);
            }
            case SERVER_REFUSAL -> {
                assertThat(answer.status()).isEqualTo(status);
                assertThat(answer.header("Connection")).isEqualToIgnoringCase("close");
            }
            case STATIC -> assertThat(answer.status()).isEqualTo(status);
            case NOT_SERVED -> assertThat(answer.status()).isIn(400, status);
            case CLOSED -> assertThat(answer.status()).as("no answer, or a 4xx").isIn(-1, 400, 413, 431);
        }
        assertThat(new Http(server.baseUrl()).get("/health", null).status()).as("the server still serves")
                .isEqualTo(200);
    }

    @Test
    @Order(1)
    @DisplayName("a body that stops halfway is cut off by the read timeout and answered 400, not logged as a server failure")
    void slowBodyIsCutOff() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.httpPort)) {
            socket.setSoTimeout((int) RawHttp.READ_TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/auth/login HTTP/1.1\r\n" + HOST + "Content-Type: application/json\r\n"
                    + "Content-Length: 1000\r\n\r\n{\"login\":").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readToEnd(socket.getInputStream())).as("the server closes the connection").isTrue();
        }
    }

    @Test
    @Order(2)
    @DisplayName("headers sent one byte at a time (slowloris) are cut off by the read timeout")
    void slowHeadersAreCutOff() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.httpPort)) {
            socket.setSoTimeout(200);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/config HTTP/1.1\r\n" + HOST).getBytes(StandardCharsets.US_ASCII));
            boolean closed = false;
            long deadline = System.nanoTime() + RawHttp.READ_TIMEOUT.toNanos();
            while (!closed && System.nanoTime() < deadline) {
                try {
                    out.write('a');
                    out.flush();
                    closed = socket.getInputStream().read() == -1;
                } catch (SocketTimeoutException stillOpen) {
                    // one more byte
                } catch (IOException reset) {
                    closed = true;
                }
            }
            assertThat(closed).as("closed while its headers were still coming").isTrue();
        }
        assertThat(new Http(server.baseUrl()).get("/health", null).status()).isEqualTo(200);
    }

    @Test
    @Order(3)
    @DisplayName("after all of it, the server logged no request as a server failure")
    void noServerFailureLogged() throws IOException {
        // Runs last: the handler of the cut-off body logs (or not) just after its connection closed.
        assertThat(server.log()).as("no request failed as a server error").doesNotContain("incident")
                .doesNotContain("\tat ");
    }

    private static boolean readToEnd(InputStream in) throws IOException {
        try {
            while (in.read() != -1) {
                // drain whatever the server answers before closing
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private static Arguments api(String name, String request, int status) {
        return Arguments.of(name, request, Expect.API_ERROR, status);
    }

    private static Arguments refused(String name, String request, int status) {
        return Arguments.of(name, request, Expect.SERVER_REFUSAL, status);
    }

    private static Arguments fromUi(String name, String request) {
        return Arguments.of(name, request, Expect.NOT_SERVED, 404);
    }

    private static String get(String target) {
        return "GET " + target + " HTTP/1.1\r\n" + HOST + "\r\n";
    }

    private static String post(String path, String body) {
        return post(path, body, "application/json");
    }

    private static String post(String path, String body, String contentType) {
        byte[] bytes = body.getBytes(StandardCharsets.ISO_8859_1);
        return "POST " + path + " HTTP/1.1\r\n" + HOST + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
                + "Content-Length: " + bytes.length + "\r\n\r\n" + body;
    }
}
