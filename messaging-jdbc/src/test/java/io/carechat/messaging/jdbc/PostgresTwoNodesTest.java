package io.carechat.messaging.jdbc;

import static io.carechat.messaging.jdbc.BusTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.carechat.messaging.Messaging;
import io.carechat.messaging.crypto.FieldCipher;
import io.carechat.messaging.crypto.StaticKeyProvider;
import io.carechat.messaging.error.UnauthenticatedException;
import io.carechat.messaging.event.PresenceChanged;
import io.carechat.messaging.hub.Hub;
import io.carechat.messaging.hub.VerifiedToken;
import io.carechat.messaging.jdbc.BusTestSupport.BreakableLink;
import io.carechat.messaging.jdbc.BusTestSupport.RawListener;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.MessageId;
import io.carechat.messaging.model.Presence;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.SendRequest;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.protocol.ClientFrame;
import io.carechat.messaging.protocol.ServerFrame;
import io.carechat.messaging.spi.AuditQuery;
import io.carechat.messaging.spi.StoredBody;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Two nodes, each with its own pool, {@link JdbcStorage}, {@link PostgresEventBus}, facade and
 * hub, sharing one PostgreSQL schema, as two servers behind a load balancer; skipped unless
 * {@code CARECHAT_TEST_POSTGRES_URL} is set.
 */
@DisplayName("Two nodes sharing one PostgreSQL database")
class PostgresTwoNodesTest {
    /** Both nodes seal and open message bodies with the same keys, as a cluster must. */
    private static final StaticKeyProvider CLUSTER_KEYS = StaticKeyProvider.generate("k1");

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final Map<String, VerifiedToken> tokens = new ConcurrentHashMap<>();
    private PostgresTestDatabase database;
    private String channel;
    private Node node1;
    private Node node2;
    private UserId doctor;
    private UserId patient;
    private ConversationId conversation;
    private JdbcStorage setup;

    /** One server: its pool, storage, bus, facade and hub, closed in reverse order. */
    private final class Node {
        final BreakableLink link;
        final PostgresEventBus bus;
        final Messaging messaging;
        final Hub hub;

        Node(String name) {
            HikariDataSource pool = database.openPool(4);
            resources.add(0, pool);
            JdbcStorage storage = JdbcStorage.builder(pool).build();
            resources.add(0, storage);
            link = new BreakableLink(database);
            bus = PostgresEventBus.builder(pool, storage)
                    .listenerConnections(link)
                    .channel(channel)
                    .nodeId(name)
                    .pollInterval(Duration.ofMillis(100))
                    .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(200))
                    .build();
            resources.add(0, bus);
            messaging = Messaging.builder().storage(storage).eventBus(bus).auditSink(storage.auditTrail())
                    .keyProvider(CLUSTER_KEYS).build();
            resources.add(0, messaging);
            ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
            ExecutorService workers = Executors.newFixedThreadPool(2);
            resources.add(0, scheduler::shutdownNow);
            resources.add(0, workers::shutdownNow);
            hub = Hub.builder()
                    .messaging(messaging)
                    .eventBus(bus)
                    .tokenVerifier(PostgresTwoNodesTest.this::verify)
                    .scheduler(scheduler)
                    .workers(workers)
                    .build();
            resources.add(0, hub);
        }

        /** Opens a socket for the user and waits for ready. */
        TestSocket connect(UserId user, Role role) {
            String token = UUID.randomUUID().toString();
            tokens.put(token, new VerifiedToken(Caller.of(user, Set.of(role)), Instant.now().plus(Duration.ofHours(1))));
            TestSocket socket = new TestSocket("socket-" + token.substring(0, 8));
            socket.attach(hub.open(socket, token));
            await(() -> !socket.frames(ServerFrame.Ready.class).isEmpty(), "the socket did not get ready");
            return socket;
        }
    }

    private VerifiedToken verify(String token) {
        VerifiedToken verified = tokens.get(token);
        if (verified == null) {
            throw new UnauthenticatedException("the token is not valid");
        }
        return verified;
    }

    @BeforeEach
    void startNodes() {
        database = PostgresTestDatabase.create();
        resources.add(database);
        channel = "events_" + UUID.randomUUID().toString().replace("-", "");
        node1 = new Node("node-1");
        node2 = new Node("node-2");
        setup = JdbcStorage.builder(database.dataSource()).build();
        resources.add(0, setup);
        doctor = Fixtures.user(setup, Role.DOCTOR);
        patient = Fixtures.user(setup, Role.PATIENT);
        conversation = node2.messaging.openDirect(Caller.of(doctor, Set.of(Role.DOCTOR)), patient).id();
        await(() -> node1.bus.isListening() && node2.bus.isListening(), "the nodes did not start listening");
    }

    @AfterEach
    void stopNodes() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    private void sendThroughNode2(String clientMsgId, String body) {
        node2.messaging.send(Caller.of(doctor, Set.of(Role.DOCTOR)), SendRequest.text(conversation, clientMsgId, body));
    }

    @Test
    @DisplayName("a user connected to node 1 receives, live, a message sent through node 2")
    void liveAcrossNodes() {
        TestSocket patientSocket = node1.connect(patient, Role.PATIENT);

        sendThroughNode2("m-1", "Your results are ready");

        await(() -> !patientSocket.messageSeqs().isEmpty(), "the message did not reach node 1's socket");
        assertThat(patientSocket.frames(ServerFrame.Message.class)).singleElement().satisfies(m -> {
            assertThat(m.message().body()).isEqualTo("Your results are ready");
            assertThat(m.message().senderId()).isEqualTo(doctor);
            assertThat(m.message().seq()).isEqualTo(1);
        });
    }

    @Test
    @DisplayName("a care-team member removed through node 2 is cut off on node 1 at once: members frame, then no message of the team")
    void removalCrossesNodes() {
        Caller doctorCaller = Caller.of(doctor, Set.of(Role.DOCTOR));
        UserId colleague = Fixtures.user(setup, Role.DOCTOR);
        ConversationId team = node2.messaging.createGroup(doctorCaller, "Team", List.of(patient, colleague)).id();
        TestSocket patientSocket = node1.connect(patient, Role.PATIENT);
        TestSocket colleagueSocket = node1.connect(colleague, Role.DOCTOR);
        node1.messaging.send(doctorCaller, SendRequest.text(team, "t-1", "before"));
        await(() -> patientSocket.messageSeqs().contains(1L), "the first message did not reach the patient");

        node2.messaging.removeMember(doctorCaller, team, patient);

        await(() -> !patientSocket.frames(ServerFrame.Members.class).isEmpty(), "the removed patient got no members frame");
        assertThat(patientSocket.frames(ServerFrame.Members.class)).singleElement().satisfies(f -> {
            assertThat(f.conversationId()).isEqualTo(team);
            assertThat(f.members()).extracting(m -> m.id()).containsExactly(doctor, colleague);
        });
        await(() -> !colleagueSocket.frames(ServerFrame.Members.class).isEmpty(), "the colleague got no members frame");
        node1.messaging.send(doctorCaller, SendRequest.text(team, "t-2", "after"));
        await(() -> colleagueSocket.messageSeqs().contains(2L), "the second message did not reach the colleague");
        assertThat(patientSocket.messageSeqs()).doesNotContain(2L);
    }

    @Test
    @DisplayName("a recall through node 2 reaches, live, the other member's socket on node 1 as a recalled frame")
    void recallAcrossNodes() {
        TestSocket patientSocket = node1.connect(patient, Role.PATIENT);
        sendThroughNode2("m-1", "meant for another patient");
        await(() -> patientSocket.messageSeqs().contains(1L), "the message did not reach node 1's socket");

        node2.messaging.recall(Caller.of(doctor, Set.of(Role.DOCTOR)), conversation, 1, "wrong patient");

        await(() -> !patientSocket.frames(ServerFrame.Recalled.class).isEmpty(), "the recall did not reach node 1");
        assertThat(patientSocket.frames(ServerFrame.Recalled.class)).singleElement().satisfies(r -> {
            assertThat(r.conversationId()).isEqualTo(conversation);
            assertThat(r.seq()).isEqualTo(1);
        });
    }

    @Test
    @DisplayName("a recall made while node 1's bus link is down reaches its socket in the catch-up, as a tombstone")
    void recallDuringOutageCaughtUp() throws Exception {
        TestSocket patientSocket = node1.connect(patient, Role.PATIENT);
        sendThroughNode2("m-1", "CANARY wrong chart");
        await(() -> patientSocket.messageSeqs().contains(1L), "the message did not arrive live");

        node1.link.cut();
        await(() -> !node1.bus.isListening(), "node 1 did not notice its listener connection was cut");
        try (RawListener raw = new RawListener(database, channel)) {
            node2.messaging.recall(Caller.of(doctor, Set.of(Role.DOCTOR)), conversation, 1, "wrong chart");
            raw.awaitPayload(p -> p.contains("\"type\":\"recalled\"") && !p.contains("CANARY"));
        }
        node1.link.restore();

        await(() -> patientSocket.frames(ServerFrame.Message.class).stream().anyMatch(m -> m.message().recalled()),
                "the catch-up did not bring the recalled message");
        assertThat(patientSocket.frames(ServerFrame.Message.class)).filteredOn(m -> m.message().recalled())
                .allSatisfy(m -> {
                    assertThat(m.message().seq()).isEqualTo(1);
                    assertThat(m.message().body()).isEmpty();
                });
    }

    @Test
    @DisplayName("a bus connection dropped and restored loses nothing: the socket gets every seq exactly once")
    void outageLosesNothing() throws Exception {
        TestSocket patientSocket = node1.connect(patient, Role.PATIENT);
        sendThroughNode2("m-1", "before the outage");
        await(() -> patientSocket.messageSeqs().contains(1L), "the first message did not arrive live");
        patientSocket.send(new ClientFrame.Delivered("d1", conversation, 1));
        await(() -> !patientSocket.frames(ServerFrame.Ok.class).isEmpty(), "the ack was not answered");

        node1.link.cut();
        await(() -> !node1.bus.isListening(), "node 1 did not notice its listener connection was cut");
        try (RawListener raw = new RawListener(database, channel)) {
            for (int i = 2; i <= 4; i++) {
                sendThroughNode2("m-" + i, "during the outage " + i);
            }
            // Node 2 notifies from a thread of its own: make sure the notices went out while node 1 was away.
            raw.awaitPayload(p -> p.contains("\"type\":\"message\"") && p.contains("\"seq\":4"));
        }
        assertThat(node1.bus.isListening()).isFalse();
        node1.link.restore();
        await(() -> patientSocket.messageSeqs().contains(4L), "the catch-up did not deliver what was sent meanwhile");
        sendThroughNode2("m-5", "after the outage");
        await(() -> patientSocket.messageSeqs().contains(5L), "live delivery did not resume");

        assertThat(patientSocket.messageSeqs()).containsExactlyElementsOf(LongStream.rangeClosed(1, 5).boxed().toList());
        assertThat(patientSocket.frames(ServerFrame.Message.class).get(2).message().body())
                .isEqualTo("during the outage 3");
        assertThat(patientSocket.closeReason()).isNull();
    }

    @Test
    @DisplayName("what node 2 tells node 1 about a message carries no body")
    void notificationsCarryNoBody() throws Exception {
        TestSocket patientSocket = node1.connect(patient, Role.PATIENT);
        try (RawListener raw = new RawListener(database, channel)) {
            sendThroughNode2("m-1", "a very private diagnosis");
            await(() -> !patientSocket.messageSeqs().isEmpty(), "the message did not reach node 1's socket");

            List<String> payloads = raw.awaitPayloads(1);

            assertThat(payloads).anySatisfy(p -> assertThat(p).contains("\"type\":\"message\"")
                    .contains(conversation.value()));
            assertThat(payloads).noneMatch(p -> p.contains("private diagnosis"));
        }
    }

    @Test
    @DisplayName("a message whose stored body was tampered with before another node read it is audited there as an"
            + " integrity failure and not delivered live")
    void tamperedBodyFromAnotherNode() throws InterruptedException {
        TestSocket patientSocket = node1.connect(patient, Role.PATIENT);
        PresenceChanged pause = new PresenceChanged(UserId.of("pause-node-1"), Presence.AWAY, "test-node");
        CountDownLatch paused = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        node1.bus.subscribe(event -> {
            if (event.equals(pause)) {
                paused.countDown();
                awaitLatch(resume);
            }
        });
        node2.bus.publish(pause);
        assertThat(paused.await(BusTestSupport.WAIT.toSeconds(), TimeUnit.SECONDS))
                .as("node 1's delivery thread did not pause").isTrue();

        // Node 2 commits and announces the message while node 1 cannot read it yet; then its body
        // is replaced by another message's, as a row swap by hand SQL would leave it.
        sendThroughNode2("m-1", "a very private diagnosis");
        StoredBody stored = setup.messageBodies().scan(null, 10).get(0);
        String movedBody = new FieldCipher(CLUSTER_KEYS).sealText("another message",
                FieldCipher.FieldContext.messageBody(new Message(MessageId.random(), conversation, stored.seq(),
                        stored.senderId(), "", stored.priority(), stored.sentAt(), "", List.of())));
        assertThat(setup.messageBodies().replaceBody(stored, movedBody)).isTrue();
        resume.countDown();
        sendThroughNode2("m-2", "sent after the tampered one");
        await(() -> patientSocket.messageSeqs().contains(2L), "the later message did not reach node 1's socket");

        assertThat(patientSocket.messageSeqs()).containsExactly(2L);
        assertThat(setup.auditTrail().query(AuditQuery.between(null, null, 100)))
                .filteredOn(r -> r.event().action().equals("integrity.failure"))
                .as("each read of the tampered message (node 1's relay, then the catch-ups that tried to fill the gap"
                        + " it left) is recorded")
                .isNotEmpty()
                .allSatisfy(r -> {
                    assertThat(r.event().objectType()).isEqualTo("message");
                    assertThat(r.event().objectId()).isEqualTo(stored.messageId().value());
                    assertThat(r.event().reason()).isEqualTo("decrypt_failed");
                });
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await(BusTestSupport.WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
