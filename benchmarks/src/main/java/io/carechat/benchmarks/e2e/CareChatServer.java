package io.carechat.benchmarks.e2e;

import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * CareChat's demo server started as a process ({@code java -jar carechat-demo.jar}) on H2 or on a
 * fresh PostgreSQL schema, with its per-user send limits raised out of the way, and set up with
 * patient–doctor pairs over its HTTP API. Patients send {@code send} frames into their conversation;
 * doctors' sockets get the {@code message} frames the benchmark measures. Driven from one thread.
 * Lifecycle: {@link #start}, {@link #connect} once, {@link #close()} once (which stops the server
 * and drops the PostgreSQL schema).
 */
final class CareChatServer implements SystemUnderTest {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final String name;
    private final ChildProcess process;
    private final PostgresSchema schema;
    private final String adminPassword;
    private final int httpPort;
    private final int wsPort;
    private final SocketGroup sockets = new SocketGroup();

    private CareChatServer(String name, ChildProcess process, PostgresSchema schema, String adminPassword,
            int httpPort, int wsPort) {
        this.name = name;
        this.process = process;
        this.schema = schema;
        this.adminPassword = adminPassword;
        this.httpPort = httpPort;
        this.wsPort = wsPort;
    }

    /**
     * Starts the demo server and waits until it runs.
     *
     * @param demoJar {@code examples/target/carechat-demo.jar}
     * @param workDir a fresh folder for its data and output
     * @param postgres a fresh schema to run on, or null for the embedded H2 file database
     */
    static CareChatServer start(Path demoJar, Path workDir, PostgresSchema postgres) throws Exception {
        int httpPort = ChildProcess.freePort();
        int wsPort = ChildProcess.freePort();
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        String adminPassword = "bench-" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Map<String, String> env = new HashMap<>();
        env.put("CARECHAT_HTTP_PORT", Integer.toString(httpPort));
        env.put("CARECHAT_WS_PORT", Integer.toString(wsPort));
        env.put("CARECHAT_BIND_ADDRESS", "127.0.0.1");
        env.put("CARECHAT_DATA_DIR", workDir.resolve("carechat-data").toString());
        env.put("CARECHAT_ADMIN_PASSWORD", adminPassword);
        env.put("CARECHAT_DEMO_DATA", "false");
        env.put("CARECHAT_SEND_RATE_PER_SECOND", "10000");
        env.put("CARECHAT_SEND_BURST", "100000");
        env.put("CARECHAT_REGISTRATIONS_PER_MINUTE", "10000");
        env.put("CARECHAT_HTTP_REQUESTS_PER_ADDRESS", "1000");
        // Every simulated client comes from 127.0.0.1: lift the per-address budgets of unauthenticated traffic.
        env.put("CARECHAT_UNAUTHENTICATED_REQUESTS_PER_MINUTE", "100000");
        env.put("CARECHAT_WS_UPGRADES_PER_MINUTE", "100000");
        env.put("CARECHAT_UNAUTHENTICATED_SOCKETS_PER_ADDRESS", "10000");
        env.put("CARECHAT_HISTORY_RATE_PER_SECOND", "10000");
        env.put("CARECHAT_ACCESS_TOKEN_TTL_SECONDS", "3600"); // the longest allowed; a full run is shorter
        if (postgres != null) {
            env.put("CARECHAT_DB_URL", postgres.url());
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String label = postgres == null ? "carechat-h2" : "carechat-postgres";
        ChildProcess process = ChildProcess.start(label, List.of(java, "-jar", demoJar.toAbsolutePath().toString()),
                env, workDir);
        try {
            process.awaitOutput("CareChat demo is running", START_TIMEOUT);
        } catch (Exception e) {
            process.close();
            throw e;
        }
        String name = "CareChat on " + (postgres == null ? "H2 (file)" : "PostgreSQL");
        return new CareChatServer(name, process, postgres, adminPassword, httpPort, wsPort);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<PairSender> connect(int pairs, Measurements measurements) throws Exception {
        List<DemoAccounts.Pair> accounts = new DemoAccounts("http://127.0.0.1:" + httpPort)
                .createPairs(pairs, adminPassword, 8);
        URI ws = URI.create("ws://127.0.0.1:" + wsPort + "/ws");
        CountDownLatch ready = new CountDownLatch(2 * pairs);
        List<SocketGroup.Spec> receivers = new ArrayList<>();
        List<SocketGroup.Spec> senders = new ArrayList<>();
        for (DemoAccounts.Pair pair : accounts) {
            receivers.add(new SocketGroup.Spec(ws, Map.of("Authorization", "Bearer " + pair.doctorToken()),
                    (socket, frame, at) -> {
                        if (isType(frame, "ready")) {
                            ready.countDown();
                        } else if (isType(frame, "message")) {
                            measurements.onReceived(frame, at);
                        }
                    }));
            senders.add(new SocketGroup.Spec(ws, Map.of("Authorization", "Bearer " + pair.patientToken()),
                    (socket, frame, at) -> {
                        if (isType(frame, "ready")) {
                            ready.countDown();
                        } else if (isType(frame, "error")) {
                            measurements.onError();
                        }
                    }));
        }
        sockets.open(receivers, true);
        List<ClientSocket> open = sockets.open(senders, false);
        if (!ready.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException(ready.getCount() + " sockets got no 'ready' frame");
        }
        List<PairSender> out = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            out.add(new Sender(open.get(i).sender(), accounts.get(i).conversationId()));
        }
        return out;
    }

    /** @return whether a CareChat frame is of {@code type}; the codec writes {@code type} first */
    static boolean isType(CharSequence frame, String type) {
        String prefix = "{\"type\":\"" + type + "\"";
        if (frame.length() < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (frame.charAt(i) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        sockets.close();
        process.close();
        if (schema != null) {
            schema.close();
        }
    }

    /** Sends CareChat {@code send} frames into one conversation. */
    private record Sender(FrameSender sender, String conversationId) implements PairSender {
        @Override
        public void send(String body, long sequence) {
            sender.send("{\"type\":\"send\",\"conversationId\":\"" + conversationId + "\",\"clientMsgId\":\"b"
                    + sequence + "\",\"body\":\"" + body + "\"}");
        }

        @Override
        public int discardPending() {
            return sender.discardPending();
        }
    }
}
