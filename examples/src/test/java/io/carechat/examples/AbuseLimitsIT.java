package io.carechat.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.tck.transport.RawWebSocket;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The running demo server holds its per-user and per-address limits")
class AbuseLimitsIT {
    private static final int BURST = 5;
    private static final int IN_PROGRESS = 8;
    private static final int UNAUTHENTICATED_PER_MINUTE = 20;
    private static final int UPGRADES_PER_MINUTE = 10;
    private static final int UNAUTHENTICATED_SOCKETS = 3;
    /** The WebSocket opcode of a pong. */
    private static final int PONG = 0xA;

    @TempDir
    static Path workDir;

    static DemoProcess server;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        // The socket limits under test are the Java-WebSocket adapter's, on its own port.
        server = DemoProcess.start(workDir, Map.of("CARECHAT_WS_PORT", DemoProcess.FREE_PORT,
                "CARECHAT_SEND_RATE_PER_SECOND", "1",
                "CARECHAT_SEND_BURST", Integer.toString(BURST),
                "CARECHAT_HTTP_REQUESTS_PER_ADDRESS", Integer.toString(IN_PROGRESS),
                "CARECHAT_UNAUTHENTICATED_REQUESTS_PER_MINUTE", Integer.toString(UNAUTHENTICATED_PER_MINUTE),
                "CARECHAT_WS_UPGRADES_PER_MINUTE", Integer.toString(UPGRADES_PER_MINUTE),
                "CARECHAT_UNAUTHENTICATED_SOCKETS_PER_ADDRESS", Integer.toString(UNAUTHENTICATED_SOCKETS)));
        http = new Http(server.baseUrl());
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @DisplayName("concurrent HTTP sends beyond the user's send budget get 429 rate_limited, and storing stops there")
    void concurrentHttpSendsAreLimited() throws Exception {
        String patient = login("sam");
        String conversation = openWithDoctor(patient);
        int sends = 4 * BURST;
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<Http.Answer>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < sends; i++) {
                String id = "http-" + i;
                answers.add(pool.submit(() -> send(patient, conversation, id)));
            }
            int created = 0;
            int limited = 0;
            for (Future<Http.Answer> answer : answers) {
                Http.Answer a = answer.get();
                if (a.status() == 201) {
                    created++;
                } else {
                    assertThat(a.status()).isEqualTo(429);
                    assertThat(a.errorCode()).isEqualTo("rate_limited");
                    assertThat(a.body().path("error").path("message").asText()).contains("send rate");
                    limited++;
                }
            }
            assertThat(limited).as("sends refused by the send budget").isPositive();
            assertThat(created + limited).isEqualTo(sends);
            Http.Answer history = http.get("/api/conversations/" + conversation + "/messages?limit=100", patient);
            assertThat(history.body().path("messages")).as("only the accepted sends are stored").hasSize(created);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("sends over HTTP and over the socket draw on one budget: after HTTP used it, socket sends are rate_limited")
    void httpAndSocketShareOneBudget() throws Exception {
        String patient = login("alex");
        String conversation = openWithDoctor(patient);
        try (RawWebSocket socket = RawWebSocket.upgrade(server.wsPort, "/ws",
                Map.of("Authorization", "Bearer " + patient))) {
            String first = socket.readText();
            assertThat(first).contains("\"type\":\"ready\"");
            Http.Answer last = null;
            for (int i = 0; i < 4 * BURST && (last == null || last.status() == 201); i++) {
                last = send(patient, conversation, "mixed-http-" + i);
            }
            assertThat(last.status()).as("the HTTP sends used the budget").isEqualTo(429);
            int socketSends = 2 * BURST;
            for (int i = 0; i < socketSends; i++) {
                socket.sendText("{\"type\":\"send\",\"ref\":\"ws-" + i + "\",\"conversationId\":\"" + conversation
                        + "\",\"clientMsgId\":\"mixed-ws-" + i + "\",\"body\":\"over the socket\"}");
            }
            int answered = 0;
            int limited = 0;
            while (answered < socketSends) {
                String frame = socket.readText();
                if (frame.contains("\"ref\":\"ws-")) {
                    answered++;
                    if (frame.contains("\"type\":\"error\"") && frame.contains("\"code\":\"rate_limited\"")) {
                        limited++;
                    }
                }
            }
            assertThat(limited).as("socket sends refused because the HTTP sends had used the user's budget")
                    .isPositive();
        }
    }

    @Test
    @DisplayName("one address may have only so many HTTP requests in progress; beyond that 429 at once, and the budget comes back")
    void requestsInProgressPerAddressAreCapped() throws Exception {
        // An address of its own: requests of the other tests (from 127.0.0.1) cannot hold or free its budget.
        String address = "127.0.0.8";
        List<Socket> stalled = new ArrayList<>();
        try {
            AddressedHttp.Response refused = probeWhileStalled(address, stalled);
            assertThat(refused.status()).as("the stalled requests hold the address's budget").isEqualTo(429);
            assertThat(refused.errorCode()).isEqualTo("rate_limited");
            assertThat(refused.header("Retry-After")).as("a 429 says when to retry").contains("1");
            assertThat(stalled).as("every stalled request still in progress when the probe was refused")
                    .hasSize(IN_PROGRESS).noneMatch(AbuseLimitsIT::answered);
            assertThat(AddressedHttp.request("127.0.0.9", server.httpPort, "GET", "/api/config", null, null).status())
                    .as("another address keeps its own budget").isEqualTo(200);
        } finally {
            for (Socket socket : stalled) {
                socket.close();
            }
        }
        // The server sees each closed login only when its handler's read fails: probe until all have ended.
        assertThat(probeUntil(address, 200).status()).as("answered again once the stalled requests ended").isEqualTo(200);
    }

    /**
     * Keeps {@link #IN_PROGRESS} stalled logins open from the address and probes it until a probe
     * is refused. A login reaches the gate a moment after its bytes are sent, so a probe sent in
     * that moment may be admitted ahead of it, and the login is the one refused (429, connection
     * closed): such a login is replaced by a new one before the next probe.
     */
    private static AddressedHttp.Response probeWhileStalled(String address, List<Socket> stalled) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        AddressedHttp.Response answer;
        do {
            for (Socket socket : List.copyOf(stalled)) {
                if (answered(socket)) {
                    socket.close();
                    stalled.remove(socket);
                }
            }
            while (stalled.size() < IN_PROGRESS) {
                stalled.add(stalledLogin(address));
            }
            Thread.sleep(20);
            answer = AddressedHttp.request(address, server.httpPort, "GET", "/api/config", null, null);
        } while (answer.status() != 429 && System.nanoTime() < deadline);
        return answer;
    }

    /** Whether the server has answered (refused) a stalled login. */
    private static boolean answered(Socket socket) {
        try {
            return socket.getInputStream().available() > 0;
        } catch (IOException e) {
            return true;
        }
    }

    @Test
    @DisplayName("requests that end 401 and logins draw on the address's unauthenticated budget; past it 429 with Retry-After, while valid tokens still pass")
    void unauthenticatedRequestsPerAddressAreBudgeted() {
        String address = "127.0.0.10";
        for (int i = 0; i < UNAUTHENTICATED_PER_MINUTE; i++) {
            AddressedHttp.Response refused = AddressedHttp.request(address, server.httpPort, "GET", "/api/me", "not-a-token", null);
            assertThat(refused.status()).as("bad token " + (i + 1) + " within the budget").isEqualTo(401);
        }
        AddressedHttp.Response limited = AddressedHttp.request(address, server.httpPort, "GET", "/api/me", "not-a-token", null);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.errorCode()).isEqualTo("rate_limited");
        assertThat(limited.header("Retry-After")).as("says when to retry").hasValueSatisfying(
                v -> assertThat(Long.parseLong(v)).isBetween(1L, 60L));
        AddressedHttp.Response login = AddressedHttp.request(address, server.httpPort, "POST", "/api/auth/login", null,
                Http.json(Map.of("login", "sam", "password", Seeding.DEMO_PASSWORD)));
        assertThat(login.status()).as("a login is unauthenticated too").isEqualTo(429);
        assertThat(login.header("Retry-After")).isPresent();

        String token = login("dr.bailey");
        assertThat(AddressedHttp.request(address, server.httpPort, "GET", "/api/me", token, null).status())
                .as("a valid token never draws on the budget").isEqualTo(200);
        assertThat(AddressedHttp.request("127.0.0.11", server.httpPort, "GET", "/api/me", "not-a-token", null).status())
                .as("another address has its own budget").isEqualTo(401);
    }

    @Test
    @DisplayName("WebSocket upgrades draw on a per-address budget; past it the upgrade gets HTTP 429 with Retry-After")
    void websocketUpgradesPerAddressAreBudgeted() throws Exception {
        String address = "127.0.0.12";
        for (int i = 0; i < UPGRADES_PER_MINUTE; i++) {
            try (RawWebSocket socket = RawWebSocket.upgrade(AddressedHttp.connectFrom(address, server.wsPort), server.wsPort,
                    "/ws", Map.of())) {
                assertThat(socket.status()).as("upgrade " + (i + 1) + " within the budget").isEqualTo(101);
            }
        }
        try (RawWebSocket refused = RawWebSocket.upgrade(AddressedHttp.connectFrom(address, server.wsPort), server.wsPort,
                "/ws", Map.of())) {
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.responseHead()).containsPattern("(?i)Retry-After: [1-9]");
        }
        try (RawWebSocket other = RawWebSocket.upgrade(AddressedHttp.connectFrom("127.0.0.14", server.wsPort), server.wsPort,
                "/ws", Map.of())) {
            assertThat(other.status()).as("another address has its own budget").isEqualTo(101);
        }
    }

    @Test
    @DisplayName("one address may hold only so many sockets that have not authenticated; one more is closed with 1008, and authenticating frees a place")
    void unauthenticatedSocketsPerAddressAreCapped() throws Exception {
        String address = "127.0.0.13";
        String token = login("dr.grey");
        List<RawWebSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i <= UNAUTHENTICATED_SOCKETS; i++) {
                sockets.add(RawWebSocket.upgrade(AddressedHttp.connectFrom(address, server.wsPort), server.wsPort, "/ws",
                        Map.of()));
            }
            // The server counts a socket as it opens, which may come just after its upgrade's answer, so
            // which one is refused is not known beforehand: a ping answered by each tells them apart,
            // since a socket's frames are read only after it opened.
            List<RawWebSocket> open = new ArrayList<>();
            List<RawWebSocket.Frame> refusals = new ArrayList<>();
            for (RawWebSocket socket : sockets) {
                try {
                    socket.sendFrame(RawWebSocket.PING, true, new byte[] {1});
                } catch (IOException closedAlready) {
                    // a refused socket may be gone before its ping: its close frame is read below
                }
                RawWebSocket.Frame answer = socket.readFrame();
                if (answer.opcode() == RawWebSocket.CLOSE) {
                    refusals.add(answer);
                } else {
                    assertThat(answer.opcode()).as("a socket that opened answers the ping").isEqualTo(PONG);
                    open.add(socket);
                }
            }
            assertThat(refusals).as("exactly one socket beyond the cap is refused").singleElement().satisfies(close -> {
                assertThat(close.closeCode()).isEqualTo(1008);
                assertThat(close.closeReason()).isEqualTo("too_many_unauthenticated");
            });
            open.get(0).sendText("{\"type\":\"auth\",\"token\":\"" + token + "\"}");
            assertThat(open.get(0).readText()).as("the first open socket authenticated").contains("\"type\":\"ready\"");
            try (RawWebSocket next = RawWebSocket.upgrade(AddressedHttp.connectFrom(address, server.wsPort), server.wsPort,
                    "/ws", Map.of())) {
                next.sendText("{\"type\":\"auth\",\"token\":\"" + token + "\"}");
                assertThat(next.readText()).as("the place the authenticated socket left is free")
                        .contains("\"type\":\"ready\"");
            }
        } finally {
            for (RawWebSocket socket : sockets) {
                socket.close();
            }
        }
    }

    /** Asks for /api/config from an address until the answer has the status, for at most 30 seconds. */
    private static AddressedHttp.Response probeUntil(String address, int status) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        AddressedHttp.Response answer = AddressedHttp.request(address, server.httpPort, "GET", "/api/config", null, null);
        while (answer.status() != status && System.nanoTime() < deadline) {
            Thread.sleep(20);
            answer = AddressedHttp.request(address, server.httpPort, "GET", "/api/config", null, null);
        }
        return answer;
    }

    /** A login whose headers promise a body that never comes, so its handler waits reading it. */
    private static Socket stalledLogin(String address) throws IOException {
        Socket socket = AddressedHttp.connectFrom(address, server.httpPort);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: 1000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    private static Http.Answer send(String token, String conversation, String clientMsgId) {
        return http.post("/api/conversations/" + conversation + "/messages", token,
                Http.json(Map.of("clientMsgId", clientMsgId, "body", "a message")));
    }

    private static String login(String username) {
        Http.Answer login = http.post("/api/auth/login", null,
                Http.json(Map.of("login", username, "password", Seeding.DEMO_PASSWORD)));
        assertThat(login.status()).isEqualTo(200);
        return login.body().path("accessToken").asText();
    }

    private static String openWithDoctor(String token) {
        Http.Answer contacts = http.get("/api/contacts", token);
        String doctorId = null;
        for (var contact : contacts.body().path("contacts")) {
            if (contact.path("displayName").asText().startsWith("Dr")) {
                doctorId = contact.path("id").asText();
                break;
            }
        }
        assertThat(doctorId).as("a doctor among the contacts").isNotNull();
        Http.Answer opened = http.post("/api/conversations", token, Http.json(Map.of("with", doctorId)));
        return opened.body().path("conversation").path("id").asText();
    }
}
