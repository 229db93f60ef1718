package io.carechat.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.carechat.messaging.tck.transport.RawWebSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and broken WebSocket clients against the running demo jar, while a well-behaved patient
 * and doctor keep chatting ({@link SteadyChat}): seeded mutated JSON frames, protocol violations
 * and random bytes, connections cut inside a frame, a send flood, a client that never reads, and
 * hundreds of connections that never upgrade or never authenticate. Each misbehaviour gets the
 * contract's error frame or close code; the server keeps serving the others, and at the end its
 * threads, open files and heap after GC are back near where they started. Prints the well-behaved
 * users' delivery times per phase for {@code docs/reliability.md}. The run with thousands of
 * idle connections is tagged {@code reliability}.
 */
@DisplayName("The running demo survives hostile and broken WebSocket clients while others keep chatting")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileSocketsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SEED = Long.getLong("carechat.fuzz.seed", 20261130L);
    private static final Set<String> ERROR_CODES = Set.of("bad_request", "unauthenticated", "forbidden", "not_found",
            "conflict", "too_large", "rate_limited", "unavailable", "internal");
    private static final int SEND_BURST = 40;

    @TempDir
    static Path workDir;

    static DemoProcess server;
    static Http http;
    static SteadyChat steady;
    static ServerResources before;

    @BeforeAll
    static void start() throws Exception {
        // every hostile client comes from 127.0.0.1: lift the per-address budgets out of the way, so
        // what closes the idle connections is the upgrade and auth timeouts under test
        // what closes the idle connections is the upgrade and auth timeouts under test; they are the
        // Java-WebSocket adapter's, on its own port
        server = DemoProcess.start(workDir, Map.of("CARECHAT_WS_PORT", DemoProcess.FREE_PORT,
                "CARECHAT_SOCKETS_PER_USER", "50",
                "CARECHAT_SEND_BURST", Integer.toString(SEND_BURST),
                "CARECHAT_UNAUTHENTICATED_SOCKETS_PER_ADDRESS", "10000",
                "CARECHAT_WS_UPGRADES_PER_MINUTE", "100000",
                "CARECHAT_UNAUTHENTICATED_REQUESTS_PER_MINUTE", "100000"));
        http = new Http(server.baseUrl());
        steady = new SteadyChat(server, "sam", "dr.grey");
        awaitUntil("the steady chat is under way", () -> steady.delivered() >= 10);
        before = ServerResources.of(server.pid());
    }

    @AfterAll
    static void stop() throws Exception {
        if (steady != null) {
            steady.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    @DisplayName("seeded mutations of valid frames get an error frame with a contract code or a reply; the socket stays open")
    void mutatedFrames() throws Exception {
        steady.phase("1 mutated frames");
        String token = http.login("alex", Seeding.DEMO_PASSWORD);
        String conversation = open(token, "dr.bailey");
        List<String> valid = List.of(
                "{\"type\":\"ping\",\"ref\":\"v\"}",
                "{\"type\":\"conversations\",\"ref\":\"v\"}",
                "{\"type\":\"contacts\",\"ref\":\"v\"}",
                "{\"type\":\"history\",\"ref\":\"v\",\"conversationId\":\"" + conversation + "\",\"limit\":5}",
                "{\"type\":\"read\",\"ref\":\"v\",\"conversationId\":\"" + conversation + "\",\"seq\":1}",
                "{\"type\":\"typing\",\"ref\":\"v\",\"conversationId\":\"" + conversation + "\"}",
                "{\"type\":\"presence\",\"ref\":\"v\",\"status\":\"busy\"}",
                "{\"type\":\"open\",\"ref\":\"v\",\"with\":\"nobody\"}");
        Random random = new Random(SEED);
        int errors = 0;
        try (RawWebSocket socket = authenticated(token)) {
            for (int i = 0; i < 300; i++) {
                String frame = mutate(valid.get(random.nextInt(valid.size())), random);
                socket.sendText(frame);
                socket.sendText("{\"type\":\"ping\",\"ref\":\"sentinel-" + i + "\"}");
                while (true) {
                    String reply = socket.readText();
                    if (reply.equals("{\"type\":\"pong\",\"ref\":\"sentinel-" + i + "\"}")) {
                        break;
                    }
                    JsonNode node = JSON.readTree(reply);
                    if ("error".equals(node.path("type").asText())) {
                        errors++;
                        assertThat(node.path("code").asText()).as("error code after %s", frame).isIn(ERROR_CODES);
                        assertThat(node.path("message").isTextual()).isTrue();
                    }
                }
            }
        }
        assertThat(errors).as("mutations the server refused with an error frame").isPositive();
        steady.assertHealthy();
    }

    @Test
    @Order(2)
    @DisplayName("protocol violations close the socket with their RFC 6455 code; random bytes never bring the server down")
    void protocolViolations() throws Exception {
        steady.phase("2 protocol violations");
        String token = http.login("alex", Seeding.DEMO_PASSWORD);
        Map<String, byte[]> violations = new HashMap<>();
        byte[] text = "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8);
        violations.put("binary frame 1003", RawWebSocket.maskedFrame(0x82, text));
        violations.put("invalid UTF-8 1007", RawWebSocket.maskedFrame(0x81, new byte[] {(byte) 0xff, (byte) 0xfe}));
        violations.put("RSV1 without an extension 1002", RawWebSocket.maskedFrame(0xc1, text));
        violations.put("RSV3 1002", RawWebSocket.maskedFrame(0x91, text));
        violations.put("reserved data opcode 1002", RawWebSocket.maskedFrame(0x83, text));
        violations.put("reserved control opcode 1002", RawWebSocket.maskedFrame(0x8b, text));
        violations.put("ping of 200 bytes 1002", RawWebSocket.maskedFrame(0x89, new byte[200]));
        violations.put("fragmented ping 1002", RawWebSocket.maskedFrame(0x09, new byte[1]));
        violations.put("continuation without a start 1002", RawWebSocket.maskedFrame(0x80, text));
        violations.put("new message inside a fragmented one 1002",
                concat(RawWebSocket.maskedFrame(0x01, "{".getBytes(StandardCharsets.UTF_8)), RawWebSocket.maskedFrame(0x81, text)));
        violations.put("close with code 999 1002", RawWebSocket.maskedFrame(0x88, new byte[] {0x03, (byte) 0xe7}));
        violations.put("unmasked frame 1002", concat(new byte[] {(byte) 0x81, (byte) text.length}, text));
        violations.put("close reason not UTF-8 1007",
                RawWebSocket.maskedFrame(0x88, new byte[] {0x03, (byte) 0xe8, (byte) 0xff, (byte) 0xfe}));
        violations.put("frame announcing 70,000 bytes 1009", java.util.Arrays.copyOf(
                RawWebSocket.maskedFrame(0x81, new byte[70_000]), 14));
        for (Map.Entry<String, byte[]> violation : violations.entrySet()) {
            try (RawWebSocket socket = authenticated(token)) {
                socket.sendRaw(violation.getValue());
                int expected = Integer.parseInt(violation.getKey().substring(violation.getKey().length() - 4));
                assertThat(socket.awaitCloseCode()).as(violation.getKey()).isEqualTo(expected);
            }
        }
        Random random = new Random(SEED);
        Set<Integer> codes = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            Socket plain = connect();
            try (RawWebSocket socket = RawWebSocket.upgrade(plain, server.wsPort, "/ws",
                    Map.of("Authorization", "Bearer " + token))) {
                assertThat(socket.readText()).startsWith("{\"type\":\"ready\"");
                plain.setSoTimeout(1_000);
                byte[] frame = RawWebSocket.maskedFrame(0x81, "{\"type\":\"ping\",\"ref\":\"r\"}".getBytes(StandardCharsets.UTF_8));
                for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                    frame[random.nextInt(frame.length)] ^= (byte) (1 << random.nextInt(8));
                }
                socket.sendRaw(frame);
                // A flipped length may leave the server waiting for more: then only the server's health counts.
                socket.sendRaw(RawWebSocket.maskedFrame(0x81, "{\"type\":\"ping\",\"ref\":\"after\"}".getBytes(StandardCharsets.UTF_8)));
                codes.add(outcome(socket));
            }
        }
        assertThat(codes).as("close codes seen after random bit flips (0: still answering, -1: waiting for more)")
                .isSubsetOf(0, -1, 1002, 1003, 1007, 1009);
        assertThat(http.get("/health", null).status()).isEqualTo(200);
        steady.assertHealthy();
    }

    @Test
    @Order(3)
    @DisplayName("connections cut inside the upgrade, inside a frame header and inside a payload leave nothing behind")
    void cutFrames() throws Exception {
        steady.phase("3 cut frames");
        String token = http.login("alex", Seeding.DEMO_PASSWORD);
        for (int i = 0; i < 40; i++) {
            try (Socket socket = new Socket("127.0.0.1", server.wsPort)) {
                socket.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: webs")
                        .getBytes(StandardCharsets.US_ASCII));
            }
            try (RawWebSocket socket = authenticated(token)) {
                socket.sendRaw(new byte[] {(byte) 0x81});
            }
            try (RawWebSocket socket = authenticated(token)) {
                socket.sendRaw(java.util.Arrays.copyOf(RawWebSocket.maskedFrame(0x81, new byte[1_000]), 60));
            }
        }
        awaitUntil("the cut connections' files are released",
                () -> ServerResources.openFiles(server.pid()) <= before.openFiles() + 4);
        steady.assertHealthy();
    }

    @Test
    @Order(4)
    @DisplayName("a client sending as fast as it can gets rate_limited for the excess; every send is answered, nothing dropped")
    void sendFlood() throws Exception {
        steady.phase("4 send flood");
        String token = http.login("alex", Seeding.DEMO_PASSWORD);
        String conversation = open(token, "dr.bailey");
        int sends = 400;
        int sent = 0;
        int limited = 0;
        try (RawWebSocket socket = authenticated(token)) {
            ByteArrayOutputStream flood = new ByteArrayOutputStream();
            for (int i = 0; i < sends; i++) {
                flood.writeBytes(RawWebSocket.maskedFrame(0x81, ("{\"type\":\"send\",\"ref\":\"f" + i
                        + "\",\"conversationId\":\"" + conversation + "\",\"clientMsgId\":\"flood-" + i
                        + "\",\"body\":\"flood\"}").getBytes(StandardCharsets.UTF_8)));
            }
            socket.sendRaw(flood.toByteArray());
            Set<String> answered = new HashSet<>();
            while (answered.size() < sends) {
                JsonNode reply = JSON.readTree(socket.readText());
                String ref = reply.path("ref").asText("");
                if (!ref.startsWith("f")) {
                    continue;
                }
                assertThat(answered.add(ref)).as("one answer per send").isTrue();
                if ("sent".equals(reply.path("type").asText())) {
                    sent++;
                } else {
                    assertThat(reply.path("type").asText()).isEqualTo("error");
                    assertThat(reply.path("code").asText()).isEqualTo("rate_limited");
                    limited++;
                }
            }
        }
        assertThat(limited).as("sends beyond the budget").isPositive();
        assertThat(sent).as("sends within the budget").isGreaterThanOrEqualTo(SEND_BURST);
        assertThat(http.history(token, conversation)).as("exactly the acknowledged sends are stored").hasSize(sent);
        steady.assertHealthy();
    }

    @Test
    @Order(5)
    @DisplayName("a client that floods pings and never reads is closed with 4429 slow_consumer")
    void neverReads() throws Exception {
        steady.phase("5 never reads");
        String token = http.login("alex", Seeding.DEMO_PASSWORD);
        byte[] batch;
        ByteArrayOutputStream pings = new ByteArrayOutputStream();
        for (int i = 0; i < 1_000; i++) {
            pings.writeBytes(RawWebSocket.maskedFrame(0x81, "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8)));
        }
        batch = pings.toByteArray();
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try (RawWebSocket socket = RawWebSocket.upgrade(server.wsPort, "/ws",
                Map.of("Authorization", "Bearer " + token), 4096)) {
            assertThat(socket.readText()).startsWith("{\"type\":\"ready\"");
            // 2,000 batches of 1,000 pings: their pongs are several times the 4 MiB queue bound.
            Future<?> flooding = writer.submit(() -> {
                for (int i = 0; i < 2_000; i++) {
                    socket.sendRaw(batch);
                }
                return null;
            });
            try {
                flooding.get(120, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException stoppedByServer) {
                // the server may end the connection while the flood is still being written
            } catch (TimeoutException e) {
                throw new AssertionError("the server neither read the flood nor closed the socket", e);
            }
            RawWebSocket.Frame close = socket.awaitClose();
            assertThat(close.closeCode()).isEqualTo(4429);
            assertThat(close.closeReason()).isEqualTo("slow_consumer");
        } finally {
            writer.shutdownNow();
        }
        steady.assertHealthy();
    }

    @Test
    @Order(6)
    @DisplayName("300 connections that never upgrade or never authenticate are closed by the upgrade and auth timeouts")
    void idleConnections() throws Exception {
        idleConnections(300, "6 300 idle connections");
    }

    @Test
    @Order(7)
    @Tag("reliability")
    @DisplayName("3,000 connections that never upgrade or never authenticate are closed by the upgrade and auth timeouts")
    void thousandsOfIdleConnections() throws Exception {
        idleConnections(3_000, "7 3000 idle connections");
    }

    @Test
    @Order(8)
    @DisplayName("afterwards the server's threads, open files and heap after GC are back near where they started")
    void resourcesReturn() throws Exception {
        steady.phase("8 after");
        awaitUntil("open files back to their level", () -> ServerResources.openFiles(server.pid()) <= before.openFiles() + 4);
        try {
            awaitUntil("threads outside the fixed pools back to their level",
                    () -> ServerResources.otherThreads(server.pid()) <= before.otherThreads() + 4);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; threads by name: " + ServerResources.threadNames(server.pid()), e);
        }
        ServerResources after = ServerResources.of(server.pid());
        System.out.println("HostileSocketsIT resources: before " + before + "; after " + after);
        assertThat(after.heapUsedKiB()).as("heap after GC, KiB").isLessThan(2 * before.heapUsedKiB() + 64 * 1024);
        steady.assertHealthy();
        steady.close();
        assertThat(steady.delivered()).as("every acknowledged steady message reached the doctor")
                .isEqualTo(steady.acknowledged());
        System.out.println("HostileSocketsIT steady delivery:\n" + steady.report());
    }

    private void idleConnections(int count, String phase) throws Exception {
        steady.phase(phase);
        List<Socket> silent = new ArrayList<>();
        List<Socket> partial = new ArrayList<>();
        List<RawWebSocket> unauthenticated = new ArrayList<>();
        try {
            for (int i = 0; i < count / 3; i++) {
                silent.add(connect());
                Socket half = connect();
                half.getOutputStream().write("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgr".getBytes(StandardCharsets.US_ASCII));
                partial.add(half);
                unauthenticated.add(RawWebSocket.upgrade(server.wsPort, "/ws", Map.of()));
            }
            long peakFiles = ServerResources.openFiles(server.pid());
            long peakThreads = ServerResources.threads(server.pid());
            assertThat(ServerResources.otherThreads(server.pid())).as("no thread per connection")
                    .isLessThan(before.otherThreads() + 8);
            for (RawWebSocket socket : unauthenticated) {
                // the auth timeout (10 s) equals the kit's read timeout: allow the server's timer some slack
                RawWebSocket.Frame close = socket.awaitClose(Duration.ofSeconds(30));
                assertThat(close.closeCode()).isEqualTo(4408);
                assertThat(close.closeReason()).isEqualTo("auth_timeout");
            }
            for (Socket socket : silent) {
                assertThat(closedByServer(socket)).as("a silent connection is closed").isTrue();
            }
            for (Socket socket : partial) {
                assertThat(closedByServer(socket)).as("a half-sent upgrade is closed").isTrue();
            }
            System.out.println("HostileSocketsIT " + count + " idle connections: peak " + peakFiles + " open files, "
                    + peakThreads + " threads");
        } finally {
            for (Socket s : silent) {
                s.close();
            }
            for (Socket s : partial) {
                s.close();
            }
            for (RawWebSocket s : unauthenticated) {
                s.close();
            }
        }
        awaitUntil("open files back to their level", () -> ServerResources.openFiles(server.pid()) <= before.openFiles() + 4);
        steady.assertHealthy();
    }

    /** 0 when the socket still answers, the close code when it was closed, -1 when it says nothing. */
    private static int outcome(RawWebSocket socket) {
        try {
            while (true) {
                RawWebSocket.Frame frame = socket.readFrame();
                if (frame.opcode() == RawWebSocket.CLOSE) {
                    return frame.closeCode();
                }
                if (frame.opcode() == RawWebSocket.TEXT && frame.text().contains("\"ref\":\"after\"")) {
                    return 0;
                }
            }
        } catch (IOException waitingOrGone) {
            return -1;
        }
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", server.wsPort), 5_000);
        socket.setSoTimeout((int) RawWebSocket.READ_TIMEOUT.toMillis() * 3);
        return socket;
    }

    private static boolean closedByServer(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        try {
            while (in.read() != -1) {
                // whatever the server answers before closing
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private static RawWebSocket authenticated(String token) throws IOException {
        RawWebSocket socket = RawWebSocket.upgrade(server.wsPort, "/ws", Map.of("Authorization", "Bearer " + token));
        assertThat(socket.readText()).startsWith("{\"type\":\"ready\"");
        return socket;
    }

    private static String open(String token, String doctorName) {
        String doctorToken = http.login(doctorName, Seeding.DEMO_PASSWORD);
        Http.Answer opened = http.post("/api/conversations", token, Http.json(Map.of("with", http.userId(doctorToken))));
        assertThat(opened.status()).isEqualTo(200);
        return opened.body().path("conversation").path("id").asText();
    }

    private static String mutate(String base, Random random) {
        StringBuilder text = new StringBuilder(base);
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits && text.length() > 0; e++) {
            int at = random.nextInt(text.length());
            switch (random.nextInt(7)) {
                case 0 -> text.deleteCharAt(at);
                case 1 -> text.insert(at, "{[\"\\:,9e99999}".charAt(random.nextInt(14)));
                case 2 -> text.setCharAt(at, (char) (32 + random.nextInt(95)));
                case 3 -> text.insert(at, "[".repeat(2_000));
                case 4 -> text.insert(at, "9".repeat(2_000));
                case 5 -> text.insert(at, "\"x\":" + "\"" + "y".repeat(10_000) + "\",");
                default -> text.insert(at, "\u00e9\u2603\ud83d\ude00");
            }
        }
        return text.toString();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static void awaitUntil(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 60 s: " + what);
            }
            Thread.sleep(100);
        }
    }
}
