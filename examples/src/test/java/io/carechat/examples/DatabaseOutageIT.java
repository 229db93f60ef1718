package io.carechat.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.MessageId;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.protocol.MessageView;
import io.carechat.messaging.tck.history.ClientHistory;
import io.carechat.messaging.tck.history.HistoryChecker;
import io.carechat.messaging.tck.history.StoredMessage;
import io.carechat.messaging.websocket.client.CareChatClient;
import io.carechat.messaging.websocket.client.CareChatListener;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database fails under load, twice, and nothing acknowledged is lost. The demo jar runs on
 * PostgreSQL through a {@link TcpProxy}; patients send to a doctor over real WebSockets, speaking
 * the protocol themselves so that every answer is seen and timed: each message is retried with its
 * {@code clientMsgId} after {@code error unavailable} or a closed socket until {@code sent}, while
 * the doctor's {@link CareChatClient} records what it receives. First the server's database
 * sessions are killed again and again with {@code pg_terminate_backend}; then the proxy is cut, so
 * the database is unreachable, and restored. Throughout, every send is answered, {@code sent} or
 * {@code unavailable}, well within a client's 10 s (a socket closed with 1013 counts as told to
 * retry); {@code /health} goes DOWN while the database is cut and UP again; the server recovers by
 * itself. Afterwards the {@link HistoryChecker} proves every acknowledged message stored once with
 * its seq and delivered to the doctor in order, and the server's threads, open files and database
 * connections are back to their level before the faults.
 *
 * <p>Two runs: a short one in the default build, and the full one (each fault about ten seconds)
 * with {@code mvn -Preliability verify}. Needs PostgreSQL ({@code CARECHAT_TEST_POSTGRES_URL});
 * skipped without it unless {@code CARECHAT_REQUIRE_POSTGRES=1}. Each prints one summary line for
 * {@code docs/reliability.md}.
 */
class DatabaseOutageIT {
    private static final int PATIENTS = 4;
    /** Each patient sends one message, retried until acknowledged, every this often, until told to stop. */
    private static final Duration PACE = Duration.ofMillis(40);
    /** How long a client waits for an answer; the server must answer well within it. */
    private static final Duration CLIENT_WAIT = Duration.ofSeconds(10);
    /** The longest a send may go unanswered: the demo's request deadline (5 s), its timer (1 s) and some slack. */
    private static final Duration ANSWER_LIMIT = Duration.ofSeconds(8);
    private static final Duration KILL_EVERY = Duration.ofMillis(250);
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final String PASSWORD = "an outage test passphrase";
    private static final Pattern HOST_PORT = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path workDir;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    @DisplayName("PostgreSQL sessions killed for 3 s, then the database unreachable for 7 s: nothing acknowledged is lost, the server recovers")
    void survivesShortDatabaseOutages() throws Exception {
        // The cut outlasts the demo's pool timeout (3 s) and the hub's request deadline (5 s), so
        // sends in it must be answered unavailable; a shorter cut can end before any answer is due.
        outages(Duration.ofSeconds(3), Duration.ofSeconds(7));
    }

    @Test
    @Tag("reliability")
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    @DisplayName("PostgreSQL sessions killed for 10 s, then the database unreachable for 10 s: nothing acknowledged is lost, the server recovers")
    void survivesDatabaseOutages() throws Exception {
        outages(Duration.ofSeconds(10), Duration.ofSeconds(10));
    }

    private void outages(Duration terminating, Duration cut) throws Exception {
        String baseUrl = postgresUrl();
        Matcher hostPort = HOST_PORT.matcher(baseUrl);
        assertThat(hostPort.find()).as("a jdbc:postgresql://host:port/ URL").isTrue();
        String schema = "carechat_outage_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(baseUrl); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        try (TcpProxy proxy = new TcpProxy(hostPort.group(1), Integer.parseInt(hostPort.group(2)))) {
            String proxied = baseUrl.replace(hostPort.group(1) + ":" + hostPort.group(2), "127.0.0.1:" + proxy.port());
            run(baseUrl, proxy, proxied + (proxied.contains("?") ? "&" : "?") + "currentSchema=" + schema,
                    terminating, cut);
        } finally {
            try (Connection c = DriverManager.getConnection(baseUrl); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    private void run(String adminUrl, TcpProxy proxy, String dbUrl, Duration terminating, Duration cut)
            throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("CARECHAT_DB_URL", dbUrl);
        env.put("CARECHAT_ADMIN_PASSWORD", "outage-test-root-passphrase");
        env.put("CARECHAT_JWT_SECRET", "an outage test signing key of more than 32 bytes");
        env.put("CARECHAT_KEYS", "outage-1:" + Base64.getEncoder().encodeToString(new byte[32]));
        env.put("CARECHAT_DEMO_DATA", "true");
        env.put("CARECHAT_SEND_RATE_PER_SECOND", "10000");
        env.put("CARECHAT_SEND_BURST", "100000");
        env.put("CARECHAT_REGISTRATIONS_PER_MINUTE", "10000");
        ExecutorService workers = Executors.newFixedThreadPool(PATIENTS + 1);
        CareChatClient doctorClient = null;
        try (DemoProcess server = DemoProcess.start(Files.createDirectories(workDir.resolve("server")), env)) {
            Http http = new Http(server.baseUrl());
            String doctorToken = http.login("dr.grey", Seeding.DEMO_PASSWORD);
            UserId doctor = UserId.of(http.userId(doctorToken));
            ClientHistory history = new ClientHistory();
            Answers answers = new Answers();
            List<Patient> patients = new ArrayList<>();
            for (int i = 1; i <= PATIENTS; i++) {
                String username = "outage.patient" + i;
                Http.Answer registered = http.post("/api/auth/register", null, Http.json(Map.of("username", username,
                        "email", username + "@example.org", "password", PASSWORD, "displayName", "Outage Patient " + i)));
                assertThat(registered.status()).as("register " + username).isEqualTo(201);
                String token = http.login(username, PASSWORD);
                Http.Answer opened = http.post("/api/conversations", token, Http.json(Map.of("with", doctor.value())));
                assertThat(opened.status()).isEqualTo(200);
                ConversationId conversation = ConversationId.of(opened.body().path("conversation").path("id").asText());
                history.member(doctor, conversation);
                patients.add(new Patient(username, UserId.of(http.userId(token)), token, conversation,
                        URI.create("ws://127.0.0.1:" + server.wsPort + "/ws"), server, history, answers));
            }
            doctorClient = CareChatClient.builder()
                    .uri(URI.create("ws://127.0.0.1:" + server.wsPort + "/ws"))
                    .tokenSupplier(() -> doctorToken)
                    .listener(new CareChatListener() {
                        @Override
                        public void onMessage(MessageView message) {
                            history.received(doctor, message.conversationId(), message.id(), message.seq());
                        }
                    })
                    .backoff(Duration.ofMillis(100), Duration.ofMillis(500))
                    .connectTimeout(Duration.ofSeconds(5))
                    .requestTimeout(CLIENT_WAIT)
                    .build();
            doctorClient.connect().get(30, TimeUnit.SECONDS);

            AtomicBoolean stop = new AtomicBoolean();
            List<Future<?>> sending = new ArrayList<>();
            for (Patient p : patients) {
                sending.add(workers.submit(() -> {
                    p.sendUntil(stop);
                    return null;
                }));
            }
            awaitUntil("the first messages are acknowledged", sending, () -> answers.acknowledged.get() >= 40);
            Levels before = Levels.of(server, proxy);

            // Phase 1: the server's database sessions are killed again and again.
            Watch watch = new Watch(http, workers);
            int terminated = terminateRepeatedly(adminUrl, proxy, terminating);
            Recovery afterKilling = Recovery.await("sessions killed", sending, answers, watch.stop());
            int toldToRetryWhileKilling = answers.toldToRetry();

            // Phase 2: the database is unreachable.
            watch = new Watch(http, workers);
            proxy.cut();
            long cutAt = System.nanoTime();
            awaitUntil("/health reports DOWN while the database is unreachable", sending, () -> health(http) == 503);
            long downAfter = System.nanoTime() - cutAt;
            int toldToRetryBeforeCut = toldToRetryWhileKilling;
            Thread.sleep(Math.max(0, cut.toMillis() - TimeUnit.NANOSECONDS.toMillis(downAfter)));
            proxy.restore();
            long restoredAt = System.nanoTime();
            awaitUntil("/health reports UP once the database is back", sending, () -> health(http) == 200);
            long upAfter = System.nanoTime() - restoredAt;
            Recovery afterCut = Recovery.await("database unreachable", sending, answers, watch.stop());
            assertThat(answers.toldToRetry()).as("clients were told to retry while the database was cut")
                    .isGreaterThan(toldToRetryBeforeCut);

            stop.set(true);
            for (Future<?> f : sending) {
                f.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
            }
            List<StoredMessage> stored = new ArrayList<>();
            for (Patient p : patients) {
                // the sending patient's copies carry their clientMsgId
                http.history(p.token, p.conversation.value()).forEach(m -> stored.add(new StoredMessage(p.conversation,
                        MessageId.of(m.path("id").asText()), m.path("seq").asLong(),
                        UserId.of(m.path("senderId").asText()), m.path("clientMsgId").asText())));
            }
            long caughtUpBy = System.nanoTime() + LIMIT.toNanos();
            HistoryChecker.Verdict verdict = HistoryChecker.check(history, stored);
            while (!verdict.passed() && System.nanoTime() < caughtUpBy) {
                // the doctor's client may still be catching up
                Thread.sleep(100);
                verdict = HistoryChecker.check(history, stored);
            }
            if (!verdict.passed()) {
                System.out.println("The server's output:\n" + server.log());
            }
            verdict.assertPassed();
            assertThat(verdict.acknowledged()).isEqualTo(answers.acknowledged.get());

            awaitUntil("the server's threads, open files and database connections return to their level before"
                    + " the faults (before: " + before + ", now: " + Levels.of(server, proxy) + ")", List.of(),
                    () -> Levels.of(server, proxy).within(before));
            System.out.println(String.format(Locale.ROOT,
                    "DatabaseOutageIT (%d s killing, %d s cut): %d acknowledged, %d stored, %d delivered, 0 lost,"
                            + " 0 doubled; %d sessions terminated; %d sends answered unavailable, %d sockets closed"
                            + " 1013, slowest answer %d ms; after the killing: sends acknowledged again %d ms later,"
                            + " /health DOWN seen %d times; after the cut: /health DOWN %d ms after the cut, UP %d ms"
                            + " after the restore, sends acknowledged again %d ms later; levels before %s, after %s",
                    terminating.toSeconds(), cut.toSeconds(), verdict.acknowledged(), verdict.stored(),
                    verdict.deliveries(), terminated, answers.unavailable.get(), answers.closedTryAgain.get(),
                    answers.slowestMillis.get(), afterKilling.millis, afterKilling.healthDown, downAfter / 1_000_000,
                    upAfter / 1_000_000, afterCut.millis, before, Levels.of(server, proxy)));
        } finally {
            workers.shutdownNow();
            if (doctorClient != null) {
                doctorClient.close();
            }
        }
    }

    /** Kills the server's database sessions, and only those, every {@link #KILL_EVERY} for a while; returns how many. */
    private static int terminateRepeatedly(String adminUrl, TcpProxy proxy, Duration terminating) throws Exception {
        int terminated = 0;
        long until = System.nanoTime() + terminating.toNanos();
        try (Connection admin = DriverManager.getConnection(adminUrl);
                PreparedStatement kill = admin.prepareStatement(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE client_port = ANY(?) "
                                + "AND client_addr IS NOT NULL AND pid <> pg_backend_pid()")) {
            while (System.nanoTime() < until) {
                Set<Integer> ports = proxy.targetSidePorts();
                kill.setArray(1, admin.createArrayOf("integer", ports.toArray()));
                try (ResultSet killed = kill.executeQuery()) {
                    while (killed.next()) {
                        terminated += killed.getBoolean(1) ? 1 : 0;
                    }
                }
                Thread.sleep(KILL_EVERY.toMillis());
            }
        }
        assertThat(terminated).as("server sessions terminated").isPositive();
        return terminated;
    }

    /** What the patients were answered, over all of them. */
    private static final class Answers {
        final AtomicInteger acknowledged = new AtomicInteger();
        final AtomicInteger unavailable = new AtomicInteger();
        final AtomicInteger closedTryAgain = new AtomicInteger();
        final AtomicLong slowestMillis = new AtomicLong();

        int toldToRetry() {
            return unavailable.get() + closedTryAgain.get();
        }

        void took(long nanos) {
            slowestMillis.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(nanos), Math::max);
        }
    }

    /**
     * A patient who keeps sending, each message until acknowledged, over a WebSocket it speaks the
     * protocol on itself: every answer to a send is seen, and the time it took.
     */
    private static final class Patient {
        private final String name;
        private final UserId id;
        final String token;
        final ConversationId conversation;
        private final URI endpoint;
        private final DemoProcess server;
        private final ClientHistory history;
        private final Answers answers;
        private final HttpClient client = HttpClient.newHttpClient();
        private @Nullable Socket socket;
        private int refs;

        Patient(String name, UserId id, String token, ConversationId conversation, URI endpoint, DemoProcess server,
                ClientHistory history, Answers answers) {
            this.name = name;
            this.id = id;
            this.token = token;
            this.conversation = conversation;
            this.endpoint = endpoint;
            this.server = server;
            this.history = history;
            this.answers = answers;
        }

        void sendUntil(AtomicBoolean stop) throws Exception {
            try {
                for (int n = 0; !stop.get(); n++) {
                    Thread.sleep(PACE.toMillis());
                    String clientMsgId = name + "-" + n;
                    while (!sendOnce(clientMsgId)) {
                        Thread.sleep(100);
                    }
                }
            } finally {
                if (socket != null) {
                    socket.close();
                }
            }
        }

        /** One attempt: true once acknowledged, false when told to retry. */
        private boolean sendOnce(String clientMsgId) throws Exception {
            Socket s = socket;
            if (s == null) {
                s = Socket.open(client, endpoint, token);
                if (s == null) {
                    return false;
                }
                socket = s;
            }
            String ref = "r" + (++refs);
            Map<String, Object> frame = new LinkedHashMap<>();
            frame.put("type", "send");
            frame.put("ref", ref);
            frame.put("conversationId", conversation.value());
            frame.put("clientMsgId", clientMsgId);
            frame.put("body", "outage test " + clientMsgId);
            long sentAt = System.nanoTime();
            s.send(JSON.writeValueAsString(frame));
            while (true) {
                long left = ANSWER_LIMIT.toNanos() - (System.nanoTime() - sentAt);
                JsonNode answer = left <= 0 ? null : s.frames.poll(left, TimeUnit.NANOSECONDS);
                if (answer == null) {
                    System.out.println("The server's threads when " + clientMsgId + " went unanswered:\n"
                            + server.threadDump());
                    throw new AssertionError("no answer to " + clientMsgId + " within " + ANSWER_LIMIT
                            + ": the server must answer unavailable well within a client's " + CLIENT_WAIT
                            + ", not leave a send hanging");
                }
                if (answer == Socket.CLOSED) {
                    answers.took(System.nanoTime() - sentAt);
                    assertThat(s.closeCode).as("a socket closed under a send: code " + s.closeCode + " "
                            + s.closeReason).isIn(1013, -1);
                    answers.closedTryAgain.incrementAndGet();
                    socket = null;
                    return false;
                }
                if (!ref.equals(answer.path("ref").asText(null))) {
                    continue;
                }
                answers.took(System.nanoTime() - sentAt);
                String type = answer.path("type").asText();
                if (type.equals("sent")) {
                    JsonNode message = answer.path("message");
                    history.acknowledged(id, conversation, clientMsgId, MessageId.of(message.path("id").asText()),
                            message.path("seq").asLong());
                    answers.acknowledged.incrementAndGet();
                    return true;
                }
                if (type.equals("error") && answer.path("code").asText().equals("unavailable")) {
                    answers.unavailable.incrementAndGet();
                    return false;
                }
                throw new AssertionError("the server refused " + clientMsgId + ": " + answer);
            }
        }
    }

    /** One WebSocket of a patient: its frames, as JSON, in a queue; {@link #CLOSED} once it ends. */
    private static final class Socket implements WebSocket.Listener {
        static final JsonNode CLOSED = JSON.createObjectNode().put("type", "closed");
        final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        private @Nullable WebSocket webSocket;
        volatile int closeCode = -1;
        volatile String closeReason = "";

        /** Opens a socket and waits for {@code ready}; null when the server refused or closed it. */
        static @Nullable Socket open(HttpClient client, URI endpoint, String token) throws InterruptedException {
            Socket socket = new Socket();
            try {
                socket.webSocket = client.newWebSocketBuilder().header("Authorization", "Bearer " + token)
                        .connectTimeout(Duration.ofSeconds(5)).buildAsync(endpoint, socket)
                        .get(ANSWER_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                return null;
            }
            JsonNode first = socket.frames.poll(ANSWER_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            if (first == null || first == CLOSED || !first.path("type").asText().equals("ready")) {
                socket.close();
                return null;
            }
            return socket;
        }

        void send(String text) {
            WebSocket ws = webSocket;
            if (ws != null) {
                ws.sendText(text, true);
            }
        }

        void close() {
            WebSocket ws = webSocket;
            if (ws != null) {
                ws.abort();
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    frames.add(JSON.readTree(partial.toString()));
                } catch (IOException e) {
                    throw new AssertionError("the server sent a frame that is not JSON", e);
                }
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closeCode = statusCode;
            closeReason = reason;
            frames.add(CLOSED);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            frames.add(CLOSED);
        }
    }

    /** Polls {@code /health} during a fault, to tell whether it said DOWN. */
    private static final class Watch {
        private final AtomicBoolean done = new AtomicBoolean();
        private final AtomicInteger down = new AtomicInteger();
        private final Future<?> polling;

        Watch(Http http, ExecutorService executor) {
            this.polling = executor.submit(() -> {
                while (!done.get()) {
                    if (health(http) == 503) {
                        down.incrementAndGet();
                    }
                    Thread.sleep(200);
                }
                return null;
            });
        }

        int stop() throws Exception {
            done.set(true);
            polling.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
            return down.get();
        }
    }

    /** How long after a fault ended the sends were acknowledged again. */
    private record Recovery(long millis, int healthDown) {
        static Recovery await(String fault, List<Future<?>> sending, Answers answers, int healthDown)
                throws InterruptedException {
            long endedAt = System.nanoTime();
            int acknowledgedAtEnd = answers.acknowledged.get();
            awaitUntil("sends are acknowledged again after the fault (" + fault + ")", sending,
                    () -> answers.acknowledged.get() >= acknowledgedAtEnd + 2 * PATIENTS);
            return new Recovery(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - endedAt), healthDown);
        }
    }

    /** The server's threads and open files, and its connections through the proxy to the database. */
    private record Levels(long threads, long openFiles, int databaseConnections) {
        /** Room for the odd thread or connection that comes and goes at any time. */
        private static final int SLACK = 4;

        static Levels of(DemoProcess server, TcpProxy proxy) {
            return new Levels(ServerResources.threads(server.pid()), ServerResources.openFiles(server.pid()),
                    proxy.targetSidePorts().size());
        }

        boolean within(Levels before) {
            return threads <= before.threads + SLACK && openFiles <= before.openFiles + SLACK
                    && databaseConnections <= before.databaseConnections + SLACK;
        }

        @Override
        public String toString() {
            return threads + " threads, " + openFiles + " open files, " + databaseConnections + " database connections";
        }
    }

    private static int health(Http http) {
        try {
            return http.get("/health", null).status();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static void awaitUntil(String what, List<Future<?>> sending, BooleanSupplier condition)
            throws InterruptedException {
        SenderWait.awaitUntil(what, sending, LIMIT, condition);
    }

    private static String postgresUrl() {
        String url = System.getenv("CARECHAT_TEST_POSTGRES_URL");
        if (url == null || url.isBlank()) {
            if ("1".equals(System.getenv("CARECHAT_REQUIRE_POSTGRES"))) {
                throw new AssertionError("CARECHAT_REQUIRE_POSTGRES=1 but CARECHAT_TEST_POSTGRES_URL is not set");
            }
            Assumptions.abort("PostgreSQL not configured: set CARECHAT_TEST_POSTGRES_URL "
                    + "(e.g. jdbc:postgresql://127.0.0.1:5432/test?user=postgres) to run the outage test");
        }
        return url;
    }
}
