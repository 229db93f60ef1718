package io.carechat.messaging.jdbc;

import static io.carechat.messaging.jdbc.BusTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.carechat.messaging.Messaging;
import io.carechat.messaging.crypto.StaticKeyProvider;
import io.carechat.messaging.error.UnauthenticatedException;
import io.carechat.messaging.hub.Hub;
import io.carechat.messaging.hub.VerifiedToken;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.EscalationOutcome;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.SendRequest;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.protocol.ServerFrame;
import io.carechat.messaging.spi.AuditQuery;
import io.carechat.messaging.spi.AuditRecord;
import io.carechat.messaging.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Two nodes, each with its own pool, {@link JdbcStorage}, {@link PostgresEventBus}, facade (with
 * urgent escalation) and hub, sharing one PostgreSQL schema, scanning the same due escalations at
 * the same moment; skipped unless {@code CARECHAT_TEST_POSTGRES_URL} is set.
 */
@DisplayName("Urgent escalation on two nodes sharing one PostgreSQL database")
class PostgresTwoNodesEscalationTest {
    private static final StaticKeyProvider CLUSTER_KEYS = StaticKeyProvider.generate("k1");
    private static final Duration DELAY = Duration.ofMinutes(10);
    private static final int MESSAGES = 8;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final Map<String, VerifiedToken> tokens = new ConcurrentHashMap<>();
    private final MutableClock clock = new MutableClock(Instant.now());
    private PostgresTestDatabase database;
    private String channel;
    private Node node1;
    private Node node2;
    private JdbcStorage setup;

    /** One server with escalation on; its own scan never runs within the test, which calls it. */
    private final class Node {
        final PostgresEventBus bus;
        final Messaging messaging;
        final Hub hub;

        Node(String name) {
            HikariDataSource pool = database.openPool(4);
            resources.add(0, pool);
            JdbcStorage storage = JdbcStorage.builder(pool).build();
            resources.add(0, storage);
            bus = PostgresEventBus.builder(pool, storage).listenerConnections(new BusTestSupport.BreakableLink(database))
                    .channel(channel).nodeId(name)
                    .pollInterval(Duration.ofMillis(100)).build();
            resources.add(0, bus);
            ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
            resources.add(0, scheduler::shutdownNow);
            messaging = Messaging.builder().storage(storage).eventBus(bus).auditSink(storage.auditTrail())
                    .keyProvider(CLUSTER_KEYS).clock(clock).nodeId(name)
                    .urgentEscalation(DELAY, Duration.ofMinutes(10), scheduler).build();
            resources.add(0, messaging);
            ExecutorService workers = Executors.newFixedThreadPool(2);
            resources.add(0, workers::shutdownNow);
            hub = Hub.builder().messaging(messaging).eventBus(bus).tokenVerifier(this::verify)
                    .scheduler(scheduler).workers(workers).build();
            resources.add(0, hub);
        }

        private VerifiedToken verify(String token) {
            VerifiedToken verified = tokens.get(token);
            if (verified == null) {
                throw new UnauthenticatedException("the token is not valid");
            }
            return verified;
        }

        TestSocket connect(UserId user, Role role) {
            String token = UUID.randomUUID().toString();
            tokens.put(token, new VerifiedToken(Caller.of(user, Set.of(role)), Instant.now().plus(Duration.ofHours(1))));
            TestSocket socket = new TestSocket("socket-" + token.substring(0, 8));
            socket.attach(hub.open(socket, token));
            await(() -> !socket.frames(ServerFrame.Ready.class).isEmpty(), "the socket did not get ready");
            return socket;
        }
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
        await(() -> node1.bus.isListening() && node2.bus.isListening(), "the nodes did not start listening");
    }

    @AfterEach
    void stopNodes() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    @Test
    @DisplayName("both nodes scanning the same due escalations at once: each fires once, with one membership,"
            + " one audit record and one notice per on-call doctor")
    void firesOnceAcrossNodes() throws Exception {
        UserId admin = Fixtures.user(setup, Role.ADMIN);
        UserId doctor = Fixtures.user(setup, Role.DOCTOR);
        UserId onCall = Fixtures.user(setup, Role.DOCTOR);
        node1.messaging.replaceOnCall(Caller.of(admin, Set.of(Role.ADMIN)), List.of(onCall));
        TestSocket onCallOnNode1 = node1.connect(onCall, Role.DOCTOR);
        TestSocket onCallOnNode2 = node2.connect(onCall, Role.DOCTOR);
        List<Message> urgent = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            UserId patient = Fixtures.user(setup, Role.PATIENT);
            Caller patientCaller = Caller.of(patient, Set.of(Role.PATIENT));
            ConversationId conversation = node2.messaging.openDirect(patientCaller, doctor).id();
            Node sender = i % 2 == 0 ? node1 : node2;
            urgent.add(sender.messaging.send(patientCaller, SendRequest.text(conversation, "u-" + i, "chest pain")
                    .withPriority(Priority.URGENT)));
        }
        clock.advance(DELAY);

        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService scanners = Executors.newFixedThreadPool(2);
        int handled;
        try {
            Future<Integer> first = scanners.submit(() -> {
                start.await(10, TimeUnit.SECONDS);
                return node1.messaging.escalateDue();
            });
            Future<Integer> second = scanners.submit(() -> {
                start.await(10, TimeUnit.SECONDS);
                return node2.messaging.escalateDue();
            });
            handled = first.get(60, TimeUnit.SECONDS) + second.get(60, TimeUnit.SECONDS);
        } finally {
            scanners.shutdownNow();
        }

        assertThat(handled).isEqualTo(MESSAGES);
        for (Message m : urgent) {
            assertThat(setup.escalations().find(m.conversationId(), m.seq()).orElseThrow().outcome())
                    .isEqualTo(EscalationOutcome.ESCALATED);
            assertThat(setup.conversations().members(m.conversationId()))
                    .filteredOn(s -> s.userId().equals(onCall)).singleElement()
                    .satisfies(s -> assertThat(s.joinedSeq()).isEqualTo(m.seq() - 1));
            assertThat(setup.conversations().membershipHistory(m.conversationId()))
                    .filteredOn(p -> p.userId().equals(onCall)).hasSize(1);
        }
        List<AuditRecord> escalated = setup.auditTrail().query(AuditQuery.between(null, null, 1_000)).stream()
                .filter(r -> r.event().action().equals("conversation.escalated")).toList();
        assertThat(escalated).hasSize(MESSAGES);
        assertThat(escalated).extracting(r -> r.event().objectId()).doesNotHaveDuplicates();
        assertThat(escalated).allSatisfy(r -> assertThat(r.event().actorId()).isEqualTo(onCall));

        await(() -> onCallOnNode1.frames(ServerFrame.EscalationNotice.class).size() >= MESSAGES
                && onCallOnNode2.frames(ServerFrame.EscalationNotice.class).size() >= MESSAGES,
                "the on-call doctor's sockets did not get every notice");
        assertThat(node1.messaging.escalateDue() + node2.messaging.escalateDue()).as("nothing left to fire").isZero();
        // A notice published twice would arrive on both nodes' sockets like the first; the poll
        // interval is 100 ms, so half a second lets any repeat arrive before counting.
        Thread.sleep(500);
        for (TestSocket socket : List.of(onCallOnNode1, onCallOnNode2)) {
            assertThat(socket.frames(ServerFrame.EscalationNotice.class))
                    .extracting(n -> n.conversationId().value() + "#" + n.seq())
                    .containsExactlyInAnyOrderElementsOf(urgent.stream()
                            .map(m -> m.conversationId().value() + "#" + m.seq()).toList());
        }
    }
}
