package io.carechat.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.error.ErrorCode;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.protocol.MessageView;
import io.carechat.messaging.websocket.client.CareChatClient;
import io.carechat.messaging.websocket.client.ServerErrorException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code sent} acknowledgement is a promise that the message survives a crash. Several clients
 * send over the real WebSocket to the demo server ({@code java -jar carechat-demo.jar}), each
 * retrying a message with the same {@code clientMsgId} until it is acknowledged; mid-load the
 * server is killed with SIGKILL (no shutdown hook, nothing flushed) and started again on the same
 * database, and the clients finish against the new process. Then history, read over the HTTP API,
 * must hold every acknowledged message exactly once, as acknowledged (same id, {@code seq} and
 * body), with {@code seq} gapless from 1 in every conversation.
 *
 * <p>Runs on the demo's embedded H2 default, and on PostgreSQL in a fresh schema when
 * {@code CARECHAT_TEST_POSTGRES_URL} is set (skipped without it unless
 * {@code CARECHAT_REQUIRE_POSTGRES=1}).
 */
class CrashRecoveryIT {
    /** Patients registered for the test; each opens a conversation with one of the two demo doctors. */
    private static final int PATIENTS = 6;
    /** Messages each client (six patients and two doctors) sends. */
    private static final int MESSAGES_PER_CLIENT = 200;
    /** Sends each client keeps in flight at once. */
    private static final int IN_FLIGHT_PER_CLIENT = 8;
    /** The kill comes once this many messages are acknowledged, while the rest are being sent. */
    private static final int KILL_AFTER_ACKS = 500;
    /** How long one send waits for its acknowledgement before it is sent again with the same id. */
    private static final Duration ACK_WAIT = Duration.ofSeconds(15);
    /** How long the whole load may take, restart included. */
    private static final Duration LOAD_LIMIT = Duration.ofSeconds(150);
    private static final String PASSWORD = "a long crash test passphrase";

    @TempDir
    Path workDir;

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    @DisplayName("embedded H2 default: every message acknowledged before a SIGKILL is stored once, seq gapless")
    void embeddedH2SurvivesSigkill() throws Exception {
        crashAndRecover(Map.of());
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    @DisplayName("PostgreSQL: every message acknowledged before a SIGKILL is stored once, seq gapless")
    void postgresSurvivesSigkill() throws Exception {
        String baseUrl = System.getenv("CARECHAT_TEST_POSTGRES_URL");
        if (baseUrl == null || baseUrl.isBlank()) {
            if ("1".equals(System.getenv("CARECHAT_REQUIRE_POSTGRES"))) {
                throw new AssertionError("CARECHAT_REQUIRE_POSTGRES=1 but CARECHAT_TEST_POSTGRES_URL is not set");
            }
            Assumptions.abort("PostgreSQL not configured: set CARECHAT_TEST_POSTGRES_URL "
                    + "(e.g. jdbc:postgresql://127.0.0.1:5432/test?user=postgres) to run the crash test on it");
        }
        String schema = "carechat_crash_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(baseUrl); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        try {
            crashAndRecover(Map.of("CARECHAT_DB_URL",
                    baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema));
        } finally {
            try (Connection c = DriverManager.getConnection(baseUrl); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    /** One run: set up users and conversations, load, kill, restart, finish, check. */
    private void crashAndRecover(Map<String, String> database) throws Exception {
        Map<String, String> env = new HashMap<>(database);
        env.put("CARECHAT_ADMIN_PASSWORD", "crash-test-root-passphrase");
        env.put("CARECHAT_JWT_SECRET", "a crash test signing key of more than 32 bytes");
        env.put("CARECHAT_KEYS", "crash-1:" + Base64.getEncoder().encodeToString(new byte[32]));
        env.put("CARECHAT_DEMO_DATA", "true");
        env.put("CARECHAT_SEND_RATE_PER_SECOND", "10000");
        env.put("CARECHAT_SEND_BURST", "100000");
        env.put("CARECHAT_REGISTRATIONS_PER_MINUTE", "10000");
        env.put("CARECHAT_HTTP_REQUESTS_PER_ADDRESS", "1000");
        env.put("CARECHAT_HISTORY_RATE_PER_SECOND", "10000");
        Path dir = Files.createDirectories(workDir.resolve("server"));
        DemoProcess server = DemoProcess.start(dir, env);
        List<Sender> senders = new ArrayList<>();
        ExecutorService workers = Executors.newFixedThreadPool((PATIENTS + 2) * IN_FLIGHT_PER_CLIENT);
        try {
            Http http = new Http(server.baseUrl());
            String greyToken = http.login("dr.grey", Seeding.DEMO_PASSWORD);
            String baileyToken = http.login("dr.bailey", Seeding.DEMO_PASSWORD);
            String greyId = http.userId(greyToken);
            String baileyId = http.userId(baileyToken);
            List<ConversationId> greys = new ArrayList<>();
            List<ConversationId> baileys = new ArrayList<>();
            for (int i = 1; i <= PATIENTS; i++) {
                String username = "crash.patient" + i;
                Http.Answer registered = http.post("/api/auth/register", null, Http.json(Map.of("username", username,
                        "email", username + "@example.org", "password", PASSWORD, "displayName", "Crash Patient " + i)));
                assertThat(registered.status()).as("register " + username).isEqualTo(201);
                String token = http.login(username, PASSWORD);
                boolean grey = i % 2 == 1;
                Http.Answer opened = http.post("/api/conversations", token,
                        Http.json(Map.of("with", grey ? greyId : baileyId)));
                assertThat(opened.status()).as("open a conversation").isEqualTo(200);
                ConversationId conversation = ConversationId.of(opened.body().path("conversation").path("id").asText());
                (grey ? greys : baileys).add(conversation);
                senders.add(new Sender(username, token, List.of(conversation), server.wsPort));
            }
            senders.add(new Sender("dr.grey", greyToken, greys, server.wsPort));
            senders.add(new Sender("dr.bailey", baileyToken, baileys, server.wsPort));
            // The accounts and conversations above are set-up, not under test: make sure they are on
            // disk whatever the database's commit setting, so a lost conversation cannot hide the result.
            Thread.sleep(1_500);
            for (Sender sender : senders) {
                sender.client.connect().get(30, TimeUnit.SECONDS);
            }

            Acks acks = new Acks();
            long started = System.nanoTime();
            List<Future<?>> running = new ArrayList<>();
            for (Sender sender : senders) {
                for (int w = 0; w < IN_FLIGHT_PER_CLIENT; w++) {
                    running.add(workers.submit(() -> {
                        sender.sendAll(acks);
                        return null;
                    }));
                }
            }
            while (acks.count() < KILL_AFTER_ACKS) {
                assertThat(System.nanoTime() - started).as("time to reach %d acknowledgements", KILL_AFTER_ACKS)
                        .isLessThan(LOAD_LIMIT.toNanos());
                for (Future<?> f : running) {
                    if (f.isDone()) {
                        f.get(); // a sender that stopped early failed: report why
                    }
                }
                Thread.sleep(5);
            }
            server.kill();
            Map<String, Ack> beforeKill = acks.snapshot();
            long killedAt = System.nanoTime();
            server = server.restart();
            long restarted = System.nanoTime();
            for (Future<?> f : running) {
                long left = LOAD_LIMIT.toNanos() - (System.nanoTime() - started);
                try {
                    f.get(Math.max(left, 1), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    throw new AssertionError("the clients did not get every message acknowledged within " + LOAD_LIMIT
                            + "; acknowledged " + acks.count() + " of " + senders.size() * MESSAGES_PER_CLIENT, e);
                }
            }
            long finished = System.nanoTime();

            Map<ConversationId, List<JsonNode>> stored = new LinkedHashMap<>();
            for (Sender sender : senders.subList(PATIENTS, senders.size())) {
                for (ConversationId conversation : sender.conversations) {
                    stored.put(conversation, new Http(server.baseUrl()).history(sender.token, conversation.value()));
                }
            }
            String summary = String.format(java.util.Locale.ROOT,
                    "%d acknowledged before the SIGKILL, %d in all; down for %d ms; load %d ms",
                    beforeKill.size(), acks.count(), TimeUnit.NANOSECONDS.toMillis(restarted - killedAt),
                    TimeUnit.NANOSECONDS.toMillis(finished - started));
            System.out.println("CrashRecoveryIT " + (database.isEmpty() ? "H2" : "PostgreSQL") + ": " + summary);
            check(stored, acks.snapshot(), beforeKill, senders.size() * MESSAGES_PER_CLIENT, summary);
        } finally {
            workers.shutdownNow();
            senders.forEach(s -> s.client.close());
            server.close();
        }
    }

    /** The checks: nothing acknowledged is lost, changed or doubled, and seq has no gap. */
    private static void check(Map<ConversationId, List<JsonNode>> stored, Map<String, Ack> acks,
            Map<String, Ack> beforeKill, int planned, String summary) {
        Map<String, JsonNode> byId = new HashMap<>();
        Map<String, Integer> bodies = new HashMap<>();
        for (Map.Entry<ConversationId, List<JsonNode>> e : stored.entrySet()) {
            List<Long> seqs = e.getValue().stream().map(m -> m.path("seq").asLong()).sorted().toList();
            List<Long> expected = java.util.stream.LongStream.rangeClosed(1, seqs.size()).boxed().toList();
            assertThat(seqs).as("seq of conversation %s is gapless from 1 (%s)", e.getKey(), summary)
                    .isEqualTo(expected);
            for (JsonNode m : e.getValue()) {
                byId.put(m.path("id").asText(), m);
                bodies.merge(m.path("body").asText(), 1, Integer::sum);
            }
        }
        List<String> lost = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (Ack ack : acks.values()) {
            JsonNode m = byId.get(ack.messageId());
            if (m == null) {
                lost.add(ack.clientMsgId() + (beforeKill.containsKey(ack.clientMsgId()) ? " (before the kill)" : ""));
            } else if (m.path("seq").asLong() != ack.seq() || !m.path("body").asText().equals(ack.body())
                    || !m.path("conversationId").asText().equals(ack.conversationId().value())) {
                changed.add(ack.clientMsgId());
            }
        }
        assertThat(lost).as("%d acknowledged messages missing from history after the crash (%s)", lost.size(), summary)
                .isEmpty();
        assertThat(changed).as("acknowledged messages stored with another seq, body or conversation (%s)", summary)
                .isEmpty();
        Set<String> doubled = bodies.entrySet().stream().filter(b -> b.getValue() > 1).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        assertThat(doubled).as("messages stored more than once (%s)", summary).isEmpty();
        assertThat(acks).as("every message acknowledged in the end").hasSize(planned);
        assertThat(byId).as("nothing stored beyond the acknowledged messages").hasSize(planned);
        assertThat(beforeKill.size()).as("the kill came mid-load").isLessThan(planned);
    }

    /** One acknowledgement the test received: what the server promised to keep. */
    private record Ack(String clientMsgId, ConversationId conversationId, String messageId, long seq, String body) {}

    /** Every acknowledgement so far, by {@code clientMsgId}; an id acknowledged twice must name one message. */
    private static final class Acks {
        private final Map<String, Ack> byClientMsgId = new ConcurrentHashMap<>();
        private final List<String> contradictions = new java.util.concurrent.CopyOnWriteArrayList<>();

        void add(Ack ack) {
            Ack earlier = byClientMsgId.putIfAbsent(ack.clientMsgId(), ack);
            if (earlier != null && (!earlier.messageId().equals(ack.messageId()) || earlier.seq() != ack.seq())) {
                contradictions.add(ack.clientMsgId());
            }
        }

        int count() {
            return byClientMsgId.size();
        }

        Map<String, Ack> snapshot() {
            assertThat(contradictions).as("a clientMsgId acknowledged as two different messages").isEmpty();
            return Map.copyOf(byClientMsgId);
        }
    }

    /** One user's WebSocket client and the messages it sends, shared by its in-flight workers. */
    private static final class Sender {
        final String name;
        final String token;
        final List<ConversationId> conversations;
        final CareChatClient client;
        private final AtomicInteger next = new AtomicInteger();

        Sender(String name, String token, List<ConversationId> conversations, int wsPort) {
            this.name = name;
            this.token = token;
            this.conversations = conversations;
            this.client = CareChatClient.builder()
                    .uri(URI.create("ws://127.0.0.1:" + wsPort + "/ws"))
                    .tokenSupplier(() -> token)
                    .backoff(Duration.ofMillis(100), Duration.ofMillis(500))
                    .connectTimeout(Duration.ofSeconds(5))
                    .requestTimeout(ACK_WAIT)
                    .build();
        }

        /** Takes the next message until none is left; each is sent until acknowledged, always with its id. */
        void sendAll(Acks acks) throws InterruptedException {
            for (int n = next.getAndIncrement(); n < MESSAGES_PER_CLIENT; n = next.getAndIncrement()) {
                ConversationId conversation = conversations.get(n % conversations.size());
                String clientMsgId = name + "-" + n;
                String body = "crash test message " + clientMsgId;
                while (true) {
                    try {
                        MessageView sent = client.send(conversation, clientMsgId, body, Priority.NORMAL, List.of())
                                .get(ACK_WAIT.toMillis() + 1_000, TimeUnit.MILLISECONDS);
                        acks.add(new Ack(clientMsgId, conversation, sent.id().value(), sent.seq(), sent.body()));
                        break;
                    } catch (ExecutionException e) {
                        if (e.getCause() instanceof ServerErrorException refused && !retryable(refused.code())) {
                            throw new AssertionError("the server refused " + clientMsgId + ": " + refused.code(), e);
                        }
                        Thread.sleep(50);
                    } catch (TimeoutException e) {
                        // no answer (the server is down): send again with the same clientMsgId
                    }
                }
            }
        }

        private static boolean retryable(ErrorCode code) {
            return code == ErrorCode.UNAVAILABLE || code == ErrorCode.RATE_LIMITED || code == ErrorCode.INTERNAL;
        }
    }
}
