package io.carechat.examples;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two nodes of a cluster lose a part under load, and nothing is missing. Each case runs on the three
 * clusters of {@link SharedCluster.Kind}: PostgreSQL with LISTEN/NOTIFY, PostgreSQL with NATS
 * JetStream, and MariaDB with NATS JetStream. Four patients reach the cluster through a balancer
 * that prefers node 1; the doctor is connected to node 2; a fifth patient is connected to node 1
 * directly and sends nothing. Patients and the doctor send to each other, each message retried
 * with its {@code clientMsgId} until acknowledged. Before the fault the doctor's contacts on node 2
 * show the fifth patient online: presence is cluster-wide.
 *
 * <ul>
 *   <li>A node lost: node 1 is killed with SIGKILL; its patients' clients reconnect through the
 *       balancer to node 2, send their unacknowledged messages again and receive what they missed.
 *       The fifth patient, who cannot reconnect, shows offline on node 2 once node 1's presence
 *       lease (3 s here) has ended.</li>
 *   <li>The bus link cut, three times while messages flow: node 2's {@code LISTEN} connection is
 *       terminated on PostgreSQL with NOTIFY; on NATS, node 2 reaches the NATS server through a
 *       {@link TcpProxy} that is cut for half a second. The link comes back by itself each time,
 *       and the doctor on node 2 misses nothing sent through node 1 (the catch-up read after each
 *       reconnect).</li>
 * </ul>
 *
 * <p>Afterwards the {@link HistoryChecker} proves every acknowledged message stored once with its
 * seq and received by every other member, in order. A cluster whose services are missing is skipped
 * with a message, unless CI's {@code CARECHAT_REQUIRE_*} says otherwise ({@link SharedCluster}).
 * The bus-link cut runs in the default build, the node kill with {@code -Preliability} (an open
 * finding in {@code docs/reliability.md}). Prints one summary line each for
 * {@code docs/reliability.md}.
 */
class NodeLossIT {
    private static final int PATIENTS = 4;
    private static final Duration PACE = Duration.ofMillis(50);
    private static final Duration ACK_WAIT = Duration.ofSeconds(30);
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final String PASSWORD = "a node loss test passphrase";
    private static final int PRESENCE_LEASE_SECONDS = 3;
    private static final int LINK_CUTS = 3;
    private static final Duration NATS_CUT = Duration.ofMillis(500);

    /** The part lost. */
    private enum Fault { NODE_KILLED, BUS_LINK_CUT }

    @TempDir
    Path workDir;

    @ParameterizedTest(name = "{0}")
    @EnumSource(SharedCluster.Kind.class)
    @Tag("reliability") // open: on the one-port Jakarta path a patient's socket on node 2 went silent once in eighteen runs (docs/reliability.md)
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    @DisplayName("a node killed under load: its clients move to the other node and catch up; nothing acknowledged is lost or missed; its users show offline after its presence lease")
    void survivesLosingANode(SharedCluster.Kind kind) throws Exception {
        try (SharedCluster cluster = SharedCluster.create(kind, "carechat_nodeloss_")) {
            run(cluster, Fault.NODE_KILLED);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(SharedCluster.Kind.class)
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    @DisplayName("a node's link to the bus (its LISTEN connection, or its NATS connection) cut while messages flow: it comes back by itself and its sockets miss nothing")
    void survivesLosingTheBusLink(SharedCluster.Kind kind) throws Exception {
        try (SharedCluster cluster = SharedCluster.create(kind, "carechat_nodeloss_")) {
            run(cluster, Fault.BUS_LINK_CUT);
        }
    }

    private void run(SharedCluster cluster, Fault fault) throws Exception {
        Map<String, String> env = cluster.nodeSettings();
        env.put("CARECHAT_JWT_SECRET", "a shared node loss signing key of 32+ bytes");
        env.put("CARECHAT_KEYS", "nodeloss-1:" + Base64.getEncoder().encodeToString(new byte[32]));
        env.put("CARECHAT_ADMIN_PASSWORD", "nodeloss-root-passphrase");
        env.put("CARECHAT_DEMO_DATA", "true");
        env.put("CARECHAT_SEND_RATE_PER_SECOND", "10000");
        env.put("CARECHAT_SEND_BURST", "100000");
        env.put("CARECHAT_REGISTRATIONS_PER_MINUTE", "10000");
        env.put("CARECHAT_PRESENCE_LEASE_SECONDS", Integer.toString(PRESENCE_LEASE_SECONDS));
        // the hub's sessions log their catch-ups and closes, for the output printed when a run fails
        env.put("JAVA_TOOL_OPTIONS", "-Dcarechat.log.hub=DEBUG -Dcarechat.log.websocket=DEBUG");
        // node 2's sessions carry a name of their own, so the test can find its LISTEN connection;
        // on NATS, node 2 reaches the NATS server through a proxy the test can cut
        String node2Name = "carechat_" + cluster.name() + "_node2";
        Map<String, String> env2 = new HashMap<>(env);
        URI nats = URI.create(NatsServer.url());
        TcpProxy natsLink = cluster.kind.onNats()
                ? new TcpProxy(nats.getHost(), nats.getPort() < 0 ? 4222 : nats.getPort()) : null;
        if (natsLink == null) {
            env2.put("CARECHAT_DB_URL", cluster.nodeUrl + "&ApplicationName=" + node2Name);
        } else {
            env2.put("CARECHAT_NATS_URL", "nats://127.0.0.1:" + natsLink.port());
        }
        ExecutorService senders = Executors.newFixedThreadPool(PATIENTS + 1);
        List<CareChatClient> clients = new ArrayList<>();
        try (natsLink; DemoProcess node1 = DemoProcess.start(Files.createDirectories(workDir.resolve("node-1")), env);
                DemoProcess node2 = DemoProcess.start(Files.createDirectories(workDir.resolve("node-2")), env2);
                Balancer balancer = new Balancer(node1.wsPort, node2.wsPort)) {
            try {
                Http http = new Http(node2.baseUrl());
                String doctorToken = http.login("dr.grey", Seeding.DEMO_PASSWORD);
                UserId doctor = UserId.of(http.userId(doctorToken));
                ClientHistory history = new ClientHistory();
                AtomicInteger acknowledged = new AtomicInteger();
                List<Sender> patients = new ArrayList<>();
                List<ConversationId> conversations = new ArrayList<>();
                Map<ConversationId, String> patientTokens = new HashMap<>();
                for (int i = 1; i <= PATIENTS; i++) {
                    String username = "nodeloss.patient" + i;
                    Http.Answer registered = http.post("/api/auth/register", null, Http.json(Map.of("username", username,
                            "email", username + "@example.org", "password", PASSWORD, "displayName", "Node Loss Patient " + i)));
                    assertThat(registered.status()).as("register " + username).isEqualTo(201);
                    String token = http.login(username, PASSWORD);
                    UserId patient = UserId.of(http.userId(token));
                    Http.Answer opened = http.post("/api/conversations", token, Http.json(Map.of("with", doctor.value())));
                    assertThat(opened.status()).isEqualTo(200);
                    ConversationId conversation = ConversationId.of(opened.body().path("conversation").path("id").asText());
                    conversations.add(conversation);
                    patientTokens.put(conversation, token);
                    history.member(doctor, conversation);
                    history.member(patient, conversation);
                    CareChatClient client = client(balancer.port(), token, patient, history);
                    clients.add(client);
                    patients.add(new Sender(username, patient, client, List.of(conversation)));
                }
                CareChatClient doctorClient = client(node2.wsPort, doctorToken, doctor, history);
                clients.add(doctorClient);
                UserId stranded = strandedPatient(http, doctor, node1.wsPort, clients);
                for (CareChatClient c : clients) {
                    c.connect().get(30, TimeUnit.SECONDS);
                }
                awaitPresence(http, doctorToken, stranded, "available", Duration.ofSeconds(15),
                        "a patient connected to node 1 shows online in the doctor's contacts on node 2");
                assertThat(balancer.connectionsTo(node1.wsPort)).as("the patients start on node 1").isEqualTo(PATIENTS);
                List<Sender> everyone = new ArrayList<>(patients);
                everyone.add(new Sender("dr.grey", doctor, doctorClient, conversations));

                AtomicBoolean stop = new AtomicBoolean();
                List<Future<?>> sending = new ArrayList<>();
                for (Sender s : everyone) {
                    sending.add(senders.submit(() -> {
                        s.sendUntil(stop, history, acknowledged);
                        return null;
                    }));
                }
                awaitUntil("the first messages are acknowledged", sending, () -> acknowledged.get() >= 60);

                String faultSummary;
                if (fault == Fault.NODE_KILLED) {
                    node1.kill();
                    long killedAt = System.nanoTime();
                    int acknowledgedAtKill = acknowledged.get();
                    int[] patientAcksAtKill = patients.stream().mapToInt(p -> p.acknowledged.get()).toArray();
                    awaitUntil("every patient's messages are acknowledged again, through node 2", sending, () -> {
                        for (int i = 0; i < PATIENTS; i++) {
                            if (patients.get(i).acknowledged.get() <= patientAcksAtKill[i]) {
                                return false;
                            }
                        }
                        return true;
                    });
                    long movedAfter = System.nanoTime() - killedAt;
                    awaitPresence(http, doctorToken, stranded, "offline",
                            Duration.ofSeconds(PRESENCE_LEASE_SECONDS * 5L),
                            "the patient stranded on the killed node shows offline on node 2 after node 1's lease");
                    long offlineAfter = System.nanoTime() - killedAt;
                    awaitUntil("sends go on through node 2", sending, () -> acknowledged.get() >= acknowledgedAtKill + 60);
                    assertThat(balancer.connectionsTo(node2.wsPort)).as("the patients moved to node 2")
                            .isGreaterThanOrEqualTo(PATIENTS);
                    faultSummary = String.format(Locale.ROOT, "%d before the kill; every patient acknowledged again"
                            + " through node 2 %d ms after node 1 was killed; its stranded patient shown offline on node 2"
                            + " after %d ms (lease %d s)", acknowledgedAtKill, TimeUnit.NANOSECONDS.toMillis(movedAfter),
                            TimeUnit.NANOSECONDS.toMillis(offlineAfter), PRESENCE_LEASE_SECONDS);
                } else {
                    List<Long> backAfter = new ArrayList<>();
                    for (int cut = 0; cut < LINK_CUTS; cut++) {
                        int before = acknowledged.get();
                        long cutAt;
                        if (natsLink == null) {
                            int listener = listenerOf(cluster.adminUrl, node2Name, -1, Duration.ofSeconds(15));
                            terminate(cluster.adminUrl, listener);
                            cutAt = System.nanoTime();
                            listenerOf(cluster.adminUrl, node2Name, listener, Duration.ofSeconds(30));
                        } else {
                            cutAt = System.nanoTime();
                            cutFor(natsLink, NATS_CUT);
                        }
                        backAfter.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cutAt));
                        awaitUntil("sends go on after the cut", sending, () -> acknowledged.get() >= before + 20);
                    }
                    faultSummary = String.format(Locale.ROOT, "node 2's %s cut %d times, back after %s ms",
                            natsLink == null ? "LISTEN connection" : "NATS connection", LINK_CUTS, backAfter);
                }
                stop.set(true);
                for (Future<?> f : sending) {
                    f.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
                }

                List<StoredMessage> stored = new ArrayList<>();
                for (ConversationId conversation : conversations) {
                    // each sender's own copies carry its clientMsgId: the patient's through its token, the doctor's through his
                    for (String token : List.of(patientTokens.get(conversation), doctorToken)) {
                        UserId reader = UserId.of(http.userId(token));
                        http.history(token, conversation.value()).stream()
                                .filter(m -> m.path("senderId").asText().equals(reader.value()))
                                .forEach(m -> stored.add(new StoredMessage(conversation, MessageId.of(m.path("id").asText()),
                                        m.path("seq").asLong(), reader, m.path("clientMsgId").asText())));
                    }
                }
                long caughtUpBy = System.nanoTime() + LIMIT.toNanos();
                HistoryChecker.Verdict verdict = HistoryChecker.check(history, stored);
                while (!verdict.passed() && System.nanoTime() < caughtUpBy) {
                    Thread.sleep(100);
                    verdict = HistoryChecker.check(history, stored);
                }
                if (!verdict.passed()) {
                    System.out.println("NodeLossIT: the doctor is " + doctor.value());
                }
                verdict.assertPassed();
                assertThat(verdict.acknowledged()).isEqualTo(acknowledged.get());
                System.out.println(String.format(Locale.ROOT,
                        "NodeLossIT %s on %s: %d acknowledged, %d stored, %d delivered, 0 lost, 0 doubled, 0 missed; %s",
                        fault, cluster.kind, verdict.acknowledged(), verdict.stored(), verdict.deliveries(), faultSummary));
            } catch (AssertionError | Exception e) {
                System.out.println("NodeLossIT " + fault + " on " + cluster.kind + " failed; node 1's output:\n" + node1.log()
                        + "\nnode 2's output:\n" + node2.log() + "\nnode 2's threads:\n" + node2.threadDump()
                        + "\nthe balancer's connections:\n" + String.join("\n", balancer.history()));
                throw e;
            }
        } finally {
            senders.shutdownNow();
            clients.forEach(CareChatClient::close);
        }
    }

    /**
     * Cuts node 2's connection to the NATS server for {@code length}, then waits until the node has
     * connected again through the proxy.
     */
    private static void cutFor(TcpProxy link, Duration length) throws Exception {
        Set<Integer> before = link.targetSidePorts();
        link.cut();
        Thread.sleep(length.toMillis());
        link.restore();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Set<Integer> now = link.targetSidePorts();
            if (!now.isEmpty() && java.util.Collections.disjoint(now, before)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("node 2 did not connect to NATS again within 30 s of the cut");
    }

    /** Registers a patient who talks to the doctor, connected to node 1 directly: no way to another node. */
    private static UserId strandedPatient(Http http, UserId doctor, int node1WsPort, List<CareChatClient> clients)
            throws Exception {
        String username = "nodeloss.stranded";
        Http.Answer registered = http.post("/api/auth/register", null, Http.json(Map.of("username", username,
                "email", username + "@example.org", "password", PASSWORD, "displayName", "Stranded Patient")));
        assertThat(registered.status()).as("register " + username).isEqualTo(201);
        String token = http.login(username, PASSWORD);
        UserId patient = UserId.of(http.userId(token));
        assertThat(http.post("/api/conversations", token, Http.json(Map.of("with", doctor.value()))).status())
                .isEqualTo(200);
        clients.add(client(node1WsPort, token, patient, new ClientHistory()));
        return patient;
    }

    /** Waits until the caller's contacts show {@code user} with {@code presence}. */
    private static void awaitPresence(Http http, String token, UserId user, String presence, Duration limit,
            String what) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        String shown = null;
        while (System.nanoTime() < deadline) {
            Http.Answer contacts = http.get("/api/contacts", token);
            for (var contact : contacts.body().path("contacts")) {
                if (contact.path("id").asText().equals(user.value())) {
                    shown = contact.path("presence").asText();
                }
            }
            if (presence.equals(shown)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(what + ": still " + shown + " after " + limit.toSeconds() + " s");
    }

    /**
     * The backend pid of a node's LISTEN connection other than {@code not}, waiting for one to
     * show: the bus names it after the node's application name.
     */
    private static int listenerOf(String adminUrl, String applicationName, int not, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        try (Connection admin = DriverManager.getConnection(adminUrl);
                PreparedStatement find = admin.prepareStatement("SELECT pid FROM pg_stat_activity"
                        + " WHERE application_name = ? AND pid <> ?")) {
            find.setString(1, applicationName + " event bus");
            find.setInt(2, not);
            while (System.nanoTime() < deadline) {
                try (ResultSet rows = find.executeQuery()) {
                    if (rows.next()) {
                        return rows.getInt(1);
                    }
                }
                Thread.sleep(50);
            }
        }
        throw new AssertionError("no LISTEN connection of " + applicationName + " within " + limit.toSeconds() + " s");
    }

    private static void terminate(String adminUrl, int pid) throws Exception {
        try (Connection admin = DriverManager.getConnection(adminUrl);
                PreparedStatement kill = admin.prepareStatement("SELECT pg_terminate_backend(?)")) {
            kill.setInt(1, pid);
            try (ResultSet done = kill.executeQuery()) {
                assertThat(done.next() && done.getBoolean(1)).as("LISTEN connection %d terminated", pid).isTrue();
            }
        }
    }

    private static CareChatClient client(int wsPort, String token, UserId user, ClientHistory history) {
        return CareChatClient.builder()
                .uri(URI.create("ws://127.0.0.1:" + wsPort + "/ws"))
                .tokenSupplier(() -> token)
                .listener(new CareChatListener() {
                    @Override
                    public void onMessage(MessageView message) {
                        history.received(user, message.conversationId(), message.id(), message.seq());
                    }
                })
                .backoff(Duration.ofMillis(100), Duration.ofMillis(500))
                .connectTimeout(Duration.ofSeconds(5))
                .requestTimeout(Duration.ofSeconds(10))
                // after the test's own limit: a send the server never answers must fail the test,
                // not be healed by the client's keep-alive
                .keepAlive(ACK_WAIT.multipliedBy(2))
                .build();
    }

    /** A user who keeps sending to their conversations in turn, each message until acknowledged. */
    private record Sender(String name, UserId id, CareChatClient client, List<ConversationId> conversations,
            AtomicInteger acknowledged) {
        Sender(String name, UserId id, CareChatClient client, List<ConversationId> conversations) {
            this(name, id, client, conversations, new AtomicInteger());
        }

        void sendUntil(AtomicBoolean stop, ClientHistory history, AtomicInteger total) throws Exception {
            for (int n = 0; !stop.get(); n++) {
                Thread.sleep(PACE.toMillis());
                ConversationId conversation = conversations.get(n % conversations.size());
                String clientMsgId = name + "-" + n;
                // the client keeps the send across the lost node and sends it again after reconnecting
                MessageView sent;
                try {
                    sent = client.send(conversation, clientMsgId, "node loss test " + clientMsgId,
                            Priority.NORMAL, List.of()).get(ACK_WAIT.toSeconds(), TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    throw new AssertionError(name + "'s send " + clientMsgId + " was not acknowledged within "
                            + ACK_WAIT.toSeconds() + " s (connected: " + client.isConnected() + "; " + pingOutcome()
                            + ")", e);
                }
                history.acknowledged(id, conversation, clientMsgId, sent.id(), sent.seq());
                acknowledged.incrementAndGet();
                total.incrementAndGet();
            }
        }

        /** Whether the socket still answers, to tell a silent server from a dead connection. */
        private String pingOutcome() {
            try {
                client.ping().get(5, TimeUnit.SECONDS);
                return "a ping is answered";
            } catch (Exception e) {
                return "a ping is not answered: " + e;
            }
        }
    }

    /**
     * A TCP balancer on loopback in front of the nodes' WebSocket ports: each connection goes to
     * the first node that accepts it, in the order given, as a load balancer with health checks
     * would send clients of a lost node to the next. Counts connections per node. Thread-safe.
     */
    private static final class Balancer implements AutoCloseable {
        private final ServerSocket listener;
        private final int[] ports;
        private final Map<Integer, AtomicInteger> connections = new HashMap<>();
        private final List<String> history = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final AtomicInteger numbers = new AtomicInteger();
        private volatile boolean closed;

        Balancer(int... ports) throws IOException {
            this.ports = ports.clone();
            for (int port : ports) {
                connections.put(port, new AtomicInteger());
            }
            this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(this::accept, "balancer-accept");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        int connectionsTo(int port) {
            return connections.get(port).get();
        }

        /** What became of each connection: where it went, and which side ended it, when. */
        List<String> history() {
            return List.copyOf(history);
        }

        private void note(String event) {
            history.add(java.time.LocalTime.now() + " " + event);
        }

        private void accept() {
            while (!closed) {
                Socket client;
                try {
                    client = listener.accept();
                } catch (IOException e) {
                    return;
                }
                Socket node = connect();
                if (node == null) {
                    note("a connection found no node");
                    closeQuietly(client);
                    continue;
                }
                String name = "#" + numbers.incrementAndGet() + " (client port " + client.getPort() + ")";
                note(name + " to node port " + node.getPort());
                pump(client, node, name + ": the client's side ended");
                pump(node, client, name + ": the node's side ended");
            }
        }

        private Socket connect() {
            for (int port : ports) {
                Socket node = new Socket();
                try {
                    node.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
                    connections.get(port).incrementAndGet();
                    return node;
                } catch (IOException refused) {
                    closeQuietly(node);
                }
            }
            return null;
        }

        private void pump(Socket from, Socket to, String ended) {
            Thread t = new Thread(() -> {
                byte[] buffer = new byte[16 * 1024];
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                } catch (IOException e) {
                    // one side went away: close both
                } finally {
                    note(ended);
                    closeQuietly(from);
                    closeQuietly(to);
                }
            }, "balancer-pump");
            t.setDaemon(true);
            t.start();
        }

        private static void closeQuietly(Socket socket) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already closed
            }
        }

        @Override
        public void close() throws IOException {
            closed = true;
            listener.close();
        }
    }

    private static void awaitUntil(String what, List<Future<?>> sending, BooleanSupplier condition)
            throws InterruptedException {
        SenderWait.awaitUntil(what, sending, LIMIT, condition);
    }
}
