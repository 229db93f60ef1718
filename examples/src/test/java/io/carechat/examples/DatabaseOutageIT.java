package io.carechat.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.error.ErrorCode;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.MessageId;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.protocol.MessageView;
import io.carechat.messaging.tck.history.ClientHistory;
import io.carechat.messaging.tck.history.HistoryChecker;
import io.carechat.messaging.tck.history.StoredMessage;
import io.carechat.messaging.websocket.client.CareChatClient;
import io.carechat.messaging.websocket.client.CareChatListener;
import io.carechat.messaging.websocket.client.ServerErrorException;
import java.io.IOException;
import java.net.URI;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database fails under load, twice, and nothing acknowledged is lost. The demo jar runs on
 * PostgreSQL through a {@link TcpProxy}; patients send to a doctor over real WebSockets, each
 * message retried with its {@code clientMsgId} until acknowledged, while the doctor's client
 * records what it receives. First the server's database sessions are killed again and again with
 * {@code pg_terminate_backend}; then the proxy is cut, so the database is unreachable, and restored.
 * Throughout, clients get {@code unavailable} rather than hanging, {@code /health} goes DOWN and UP
 * again, and the server recovers by itself. Afterwards the {@link HistoryChecker} proves every
 * acknowledged message stored once with its seq and delivered to the doctor once, in order, and the
 * server's threads and open files are back to their level before the faults.
 *
 * <p>Needs PostgreSQL ({@code CARECHAT_TEST_POSTGRES_URL}); skipped without it unless
 * {@code CARECHAT_REQUIRE_POSTGRES=1}. Prints one summary line for {@code docs/reliability.md}.
 * Tagged {@code reliability}: it runs with {@code mvn -Preliability verify}, not in the default
 * build, and {@code docs/reliability.md} says what it finds today.
 */
@Tag("reliability")
class DatabaseOutageIT {
    private static final int PATIENTS = 4;
    /** Each patient sends one message, retried until acknowledged, every this often, until told to stop. */
    private static final Duration PACE = Duration.ofMillis(40);
    private static final Duration ACK_WAIT = Duration.ofSeconds(10);
    private static final Duration TERMINATING = Duration.ofSeconds(5);
    private static final Duration CUT = Duration.ofSeconds(8);
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final String PASSWORD = "an outage test passphrase";
    private static final Pattern HOST_PORT = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/");

    @TempDir
    Path workDir;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    @DisplayName("PostgreSQL sessions killed, then the database unreachable: nothing acknowledged is lost, the server recovers")
    void survivesDatabaseOutages() throws Exception {
        String baseUrl = postgresUrl();
        Matcher hostPort = HOST_PORT.matcher(baseUrl);
        assertThat(hostPort.find()).as("a jdbc:postgresql://host:port/ URL").isTrue();
        String schema = "carechat_outage_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(baseUrl); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        try (TcpProxy proxy = new TcpProxy(hostPort.group(1), Integer.parseInt(hostPort.group(2)))) {
            String proxied = baseUrl.replace(hostPort.group(1) + ":" + hostPort.group(2), "127.0.0.1:" + proxy.port());
            run(baseUrl, proxy, proxied + (proxied.contains("?") ? "&" : "?") + "currentSchema=" + schema);
        } finally {
            try (Connection c = DriverManager.getConnection(baseUrl); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    private void run(String adminUrl, TcpProxy proxy, String dbUrl) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("CARECHAT_DB_URL", dbUrl);
        env.put("CARECHAT_ADMIN_PASSWORD", "outage-test-root-passphrase");
        env.put("CARECHAT_JWT_SECRET", "an outage test signing key of more than 32 bytes");
        env.put("CARECHAT_KEYS", "outage-1:" + Base64.getEncoder().encodeToString(new byte[32]));
        env.put("CARECHAT_DEMO_DATA", "true");
        env.put("CARECHAT_SEND_RATE_PER_SECOND", "10000");
        env.put("CARECHAT_SEND_BURST", "100000");
        env.put("CARECHAT_REGISTRATIONS_PER_MINUTE", "10000");
        ExecutorService workers = Executors.newFixedThreadPool(PATIENTS);
        List<CareChatClient> clients = new ArrayList<>();
        try (DemoProcess server = DemoProcess.start(Files.createDirectories(workDir.resolve("server")), env)) {
            Http http = new Http(server.baseUrl());
            String doctorToken = http.login("dr.grey", Seeding.DEMO_PASSWORD);
            UserId doctor = UserId.of(http.userId(doctorToken));
            ClientHistory history = new ClientHistory();
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
                        client(server.wsPort, () -> token, new CareChatListener() { })));
            }
            CareChatClient doctorClient = client(server.wsPort, () -> doctorToken, new CareChatListener() {
                @Override
                public void onMessage(MessageView message) {
                    history.received(doctor, message.conversationId(), message.id(), message.seq());
                }
            });
            clients.add(doctorClient);
            patients.forEach(p -> clients.add(p.client));
            for (CareChatClient c : clients) {
                c.connect().get(30, TimeUnit.SECONDS);
            }
            long threadsBefore = threads(server.pid());
            long filesBefore = openFiles(server.pid());

            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger acknowledged = new AtomicInteger();
            AtomicInteger unavailable = new AtomicInteger();
            List<Future<?>> sending = new ArrayList<>();
            for (Patient p : patients) {
                sending.add(workers.submit(() -> {
                    p.sendUntil(stop, history, acknowledged, unavailable);
                    return null;
                }));
            }
            awaitUntil("the first messages are acknowledged", () -> acknowledged.get() >= 40);

            int terminated = terminateRepeatedly(adminUrl, proxy);
            int unavailableBeforeCut = unavailable.get();

            proxy.cut();
            long cutAt = System.nanoTime();
            awaitUntil("/health reports DOWN while the database is unreachable", () -> health(http) == 503);
            long downAfter = System.nanoTime() - cutAt;
            Thread.sleep(CUT.toMillis());
            proxy.restore();
            long restoredAt = System.nanoTime();
            awaitUntil("/health reports UP once the database is back", () -> health(http) == 200);
            long upAfter = System.nanoTime() - restoredAt;
            int acknowledgedAtRestore = acknowledged.get();
            awaitUntil("sends are acknowledged again after the outage",
                    () -> senderFailed(sending) || acknowledged.get() > acknowledgedAtRestore + 40);
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
            awaitUntil("the doctor's client caught up", () -> HistoryChecker.check(history, stored).passed());
            HistoryChecker.Verdict verdict = HistoryChecker.check(history, stored);
            verdict.assertPassed();
            assertThat(verdict.acknowledged()).isEqualTo(acknowledged.get());
            assertThat(unavailable.get()).as("clients were told unavailable while the database was cut")
                    .isGreaterThan(unavailableBeforeCut);

            awaitUntil("the server's threads return to their level before the faults",
                    () -> threads(server.pid()) <= threadsBefore + 4);
            awaitUntil("the server's open files return to their level before the faults",
                    () -> openFiles(server.pid()) <= filesBefore + 4);
            System.out.println(String.format(Locale.ROOT,
                    "DatabaseOutageIT: %d acknowledged, %d stored, %d delivered, 0 lost, 0 doubled; %d sessions terminated;"
                            + " %d unavailable answers; /health DOWN %d ms after the cut, UP %d ms after the restore;"
                            + " threads %d -> %d, open files %d -> %d",
                    verdict.acknowledged(), verdict.stored(), verdict.deliveries(), terminated, unavailable.get(),
                    TimeUnit.NANOSECONDS.toMillis(downAfter), TimeUnit.NANOSECONDS.toMillis(upAfter), threadsBefore,
                    threads(server.pid()), filesBefore, openFiles(server.pid())));
        } finally {
            workers.shutdownNow();
            clients.forEach(CareChatClient::close);
        }
    }

    /** Kills the server's database sessions, and only those, again and again; returns how many. */
    private static int terminateRepeatedly(String adminUrl, TcpProxy proxy) throws Exception {
        int terminated = 0;
        long until = System.nanoTime() + TERMINATING.toNanos();
        try (Connection admin = DriverManager.getConnection(adminUrl);
                PreparedStatement kill = admin.prepareStatement(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE client_port = ANY(?) "
                                + "AND client_addr IS NOT NULL AND pid <> pg_backend_pid()")) {
            while (System.nanoTime() < until) {
                Set<Integer> ports = proxy.databaseSidePorts();
                kill.setArray(1, admin.createArrayOf("integer", ports.toArray()));
                try (ResultSet killed = kill.executeQuery()) {
                    while (killed.next()) {
                        terminated += killed.getBoolean(1) ? 1 : 0;
                    }
                }
                Thread.sleep(250);
            }
        }
        assertThat(terminated).as("server sessions terminated").isPositive();
        return terminated;
    }

    private static CareChatClient client(int wsPort, java.util.function.Supplier<String> token, CareChatListener listener) {
        return CareChatClient.builder()
                .uri(URI.create("ws://127.0.0.1:" + wsPort + "/ws"))
                .tokenSupplier(token)
                .listener(listener)
                .backoff(Duration.ofMillis(100), Duration.ofMillis(500))
                .connectTimeout(Duration.ofSeconds(5))
                .requestTimeout(ACK_WAIT)
                .build();
    }

    /** A patient who keeps sending, each message until acknowledged, until told to stop. */
    private record Patient(String name, UserId id, String token, ConversationId conversation, CareChatClient client) {
        void sendUntil(AtomicBoolean stop, ClientHistory history, AtomicInteger acknowledged, AtomicInteger unavailable)
                throws InterruptedException {
            for (int n = 0; !stop.get(); n++) {
                Thread.sleep(PACE.toMillis());
                String clientMsgId = name + "-" + n;
                while (true) {
                    try {
                        MessageView sent = client.send(conversation, clientMsgId, "outage test " + clientMsgId,
                                Priority.NORMAL, List.of()).get(ACK_WAIT.toMillis() + 1_000, TimeUnit.MILLISECONDS);
                        history.acknowledged(id, conversation, clientMsgId, sent.id(), sent.seq());
                        acknowledged.incrementAndGet();
                        break;
                    } catch (ExecutionException e) {
                        if (e.getCause() instanceof ServerErrorException refused) {
                            if (refused.code() == ErrorCode.UNAVAILABLE) {
                                unavailable.incrementAndGet();
                            } else {
                                throw new AssertionError("the server refused " + clientMsgId + ": " + refused.code(), e);
                            }
                        }
                        Thread.sleep(100);
                    } catch (TimeoutException e) {
                        throw new AssertionError("no answer to " + clientMsgId + " within " + ACK_WAIT
                                + ": the server must answer unavailable, not leave a send hanging", e);
                    }
                }
            }
        }
    }

    /** Whether a sender stopped with a failure; its {@code get} then reports why. */
    private static boolean senderFailed(List<Future<?>> sending) {
        return sending.stream().anyMatch(Future::isDone);
    }

    private static int health(Http http) {
        try {
            return http.get("/health", null).status();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static long threads(long pid) {
        try (Stream<String> lines = Files.lines(Path.of("/proc", Long.toString(pid), "status"))) {
            return lines.filter(l -> l.startsWith("Threads:")).mapToLong(l -> Long.parseLong(l.substring(8).trim()))
                    .findFirst().orElseThrow();
        } catch (IOException e) {
            throw new AssertionError("cannot read the server's thread count", e);
        }
    }

    private static long openFiles(long pid) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new AssertionError("cannot read the server's open files", e);
        }
    }

    private static void awaitUntil(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + LIMIT + ": " + what);
            }
            Thread.sleep(100);
        }
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
