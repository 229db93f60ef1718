package io.carechat.messaging.jdbc;

import static io.carechat.messaging.jdbc.BusTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.carechat.messaging.crypto.FieldCipher;
import io.carechat.messaging.crypto.MessageFields;
import io.carechat.messaging.crypto.StaticKeyProvider;
import io.carechat.messaging.event.BreakGlassGranted;
import io.carechat.messaging.event.ConversationEscalated;
import io.carechat.messaging.event.MessageCommitted;
import io.carechat.messaging.event.MessagingEvent;
import io.carechat.messaging.event.PresenceChanged;
import io.carechat.messaging.event.ReceiptAdvanced;
import io.carechat.messaging.event.Resync;
import io.carechat.messaging.event.RoleRequested;
import io.carechat.messaging.event.SessionsRevoked;
import io.carechat.messaging.event.TypingStarted;
import io.carechat.messaging.jdbc.BusTestSupport.BreakableLink;
import io.carechat.messaging.jdbc.BusTestSupport.RawListener;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.MessageId;
import io.carechat.messaging.model.Presence;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.model.Receipt;
import io.carechat.messaging.model.ReceiptKind;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.RoleRequest;
import io.carechat.messaging.model.RoleRequestId;
import io.carechat.messaging.model.RoleRequestStatus;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.NewMessage;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Two buses on one PostgreSQL schema and channel, as two nodes: what crosses between them, read
 * back from the store, and what stays; skipped unless {@code CARECHAT_TEST_POSTGRES_URL} is set.
 */
@DisplayName("PostgresEventBus between two nodes")
class PostgresEventBusTest {
    private static final StaticKeyProvider KEYS = StaticKeyProvider.generate("k1");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<AutoCloseable> resources = new ArrayList<>();
    private PostgresTestDatabase database;
    private JdbcStorage storage;
    private String channel;
    private BreakableLink linkB;
    private PostgresEventBus nodeA;
    private PostgresEventBus nodeB;
    private final List<MessagingEvent> seenByA = new CopyOnWriteArrayList<>();
    private final List<MessagingEvent> seenByB = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startNodes() {
        database = PostgresTestDatabase.create();
        resources.add(database);
        storage = JdbcStorage.builder(database.dataSource()).build();
        resources.add(0, storage);
        channel = "events_" + UUID.randomUUID().toString().replace("-", "");
        nodeA = bus("node-a", database::connect);
        linkB = new BreakableLink(database);
        nodeB = bus("node-b", linkB);
        nodeA.subscribe(seenByA::add);
        nodeB.subscribe(seenByB::add);
        await(() -> nodeA.isListening() && nodeB.isListening(), "the nodes did not start listening");
    }

    private PostgresEventBus bus(String node, PostgresEventBus.ListenerConnections connections) {
        PostgresEventBus bus = PostgresEventBus.builder(database.dataSource(), storage)
                .listenerConnections(connections)
                .channel(channel)
                .nodeId(node)
                .pollInterval(Duration.ofMillis(100))
                .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(200))
                .build();
        resources.add(0, bus);
        return bus;
    }

    @AfterEach
    void stopNodes() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    /** Stores a message sealed as the facade seals it, and returns it as stored. */
    private Message storedMessage(Conversation conversation, UserId sender, String body) {
        return storage.messages().append(new NewMessage(MessageId.random(), conversation.id(), sender,
                UUID.randomUUID().toString(), body, Priority.NORMAL, List.of(), Fixtures.T0,
                new MessageFields(new FieldCipher(KEYS))::seal)).message();
    }

    private static MessageCommitted committed(Message message, List<UserId> memberIds) {
        return MessageCommitted.of(message.id(), message.conversationId(), message.seq(), memberIds);
    }

    private Conversation conversation(UserId a, UserId b) {
        return storage.conversations().openDirect(ConversationId.random(), a, b, Fixtures.T0);
    }

    private static <T extends MessagingEvent> List<T> ofType(List<MessagingEvent> events, Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    @DisplayName("another node's committed message arrives by its ids, with the conversation's members read back from the store")
    void messageCrosses() {
        UserId doctor = Fixtures.user(storage, Role.DOCTOR);
        UserId patient = Fixtures.user(storage, Role.PATIENT);
        Conversation conversation = conversation(doctor, patient);
        Message message = storedMessage(conversation, doctor, "how are you feeling today");

        nodeA.publish(committed(message, List.of(patient, doctor)));

        await(() -> !ofType(seenByB, MessageCommitted.class).isEmpty(), "the message did not reach node B");
        MessageCommitted received = ofType(seenByB, MessageCommitted.class).get(0);
        assertThat(received.messageId()).isEqualTo(message.id());
        assertThat(received.conversationId()).isEqualTo(conversation.id());
        assertThat(received.seq()).isEqualTo(message.seq());
        assertThat(received.memberIds()).containsExactlyInAnyOrder(doctor, patient);
        assertThat(received.message()).as("the bus opens no body").isEmpty();
    }

    @Test
    @DisplayName("receipts, presence, typing, role requests, revoked sessions, break-glass grants and escalations cross nodes as published")
    void everyKindCrosses() {
        UserId doctor = Fixtures.user(storage, Role.DOCTOR);
        UserId patient = Fixtures.user(storage, Role.PATIENT);
        Conversation conversation = conversation(doctor, patient);
        Message message = storedMessage(conversation, doctor, "x");
        RoleRequest request = storage.roleRequests().create(new RoleRequest(RoleRequestId.random(), patient,
                Role.DOCTOR, "a personal note", RoleRequestStatus.PENDING, Fixtures.T0, null, null));
        List<MessagingEvent> published = List.of(
                new ReceiptAdvanced(new Receipt(conversation.id(), patient, ReceiptKind.READ, message.seq()),
                        List.of(doctor, patient)),
                new PresenceChanged(patient, Presence.BUSY, "test-node"),
                new TypingStarted(conversation.id(), patient, List.of(doctor, patient)),
                new RoleRequested(request),
                new SessionsRevoked(doctor, SessionsRevoked.Reason.ROLES_CHANGED),
                new BreakGlassGranted("grant-1", conversation.id(), doctor, Fixtures.T0,
                        Fixtures.T0.plusSeconds(3600)),
                new ConversationEscalated(conversation.id(), message.seq(), List.of(doctor)));

        published.forEach(nodeA::publish);

        await(() -> seenByB.size() >= published.size(), "not every event reached node B: " + seenByB);
        assertThat(seenByB).hasSize(published.size());
        assertThat(seenByB.get(0)).isInstanceOfSatisfying(ReceiptAdvanced.class, r -> {
            assertThat(r.receipt()).isEqualTo(((ReceiptAdvanced) published.get(0)).receipt());
            assertThat(r.memberIds()).containsExactlyInAnyOrder(doctor, patient);
        });
        assertThat(seenByB.get(1)).isEqualTo(published.get(1));
        assertThat(seenByB.get(2)).isInstanceOfSatisfying(TypingStarted.class, t -> {
            assertThat(t.conversationId()).isEqualTo(conversation.id());
            assertThat(t.userId()).isEqualTo(patient);
            assertThat(t.memberIds()).containsExactlyInAnyOrder(doctor, patient);
        });
        assertThat(seenByB.get(3)).isEqualTo(published.get(3));
        assertThat(seenByB.get(4)).isEqualTo(published.get(4));
        assertThat(seenByB.get(5)).as("a break-glass grant, by ids and times only").isEqualTo(published.get(5));
        assertThat(seenByB.get(6)).as("an escalation, by ids and seq only").isEqualTo(published.get(6));
    }

    @Test
    @DisplayName("a node's subscribers get its own event once, directly, and not again from its notification")
    void ownNotificationIgnored() {
        MessagingEvent own = new PresenceChanged(UserId.of("own-1"), Presence.AWAY, "test-node");
        MessagingEvent marker = new PresenceChanged(UserId.of("marker-1"), Presence.AWAY, "test-node");

        nodeA.publish(own);
        await(() -> seenByB.contains(own), "node B did not get the event, so its notification was not sent");
        nodeB.publish(marker);
        // Notifications arrive in commit order: once node A has B's later one, it has had its own.
        await(() -> seenByA.contains(marker), "node A did not get node B's marker");

        assertThat(seenByA).containsExactly(own, marker);
    }

    @Test
    @DisplayName("a notification carries ids only: no message body and no role request note")
    void payloadsCarryIdsOnly() throws Exception {
        UserId doctor = Fixtures.user(storage, Role.DOCTOR);
        UserId patient = Fixtures.user(storage, Role.PATIENT);
        Conversation conversation = conversation(doctor, patient);
        Message message = storedMessage(conversation, doctor, "confidential lab result");
        RoleRequest request = storage.roleRequests().create(new RoleRequest(RoleRequestId.random(), patient,
                Role.DOCTOR, "confidential note", RoleRequestStatus.PENDING, Fixtures.T0, null, null));
        try (RawListener raw = new RawListener(database, channel)) {
            nodeA.publish(committed(message, List.of(doctor, patient)));
            nodeA.publish(new RoleRequested(request));

            List<String> payloads = raw.awaitPayloads(2);

            assertThat(payloads).noneMatch(p -> p.contains("confidential"));
            JsonNode first = JSON.readTree(payloads.get(0));
            assertThat(first.get("type").asText()).isEqualTo("message");
            assertThat(first.get("node").asText()).isEqualTo("node-a");
            assertThat(first.get("messageId").asText()).isEqualTo(message.id().value());
            assertThat(first.get("conversationId").asText()).isEqualTo(conversation.id().value());
            assertThat(first.get("seq").asLong()).isEqualTo(message.seq());
            assertThat(JSON.readTree(payloads.get(1)).get("requestId").asText()).isEqualTo(request.id().value());
        }
    }

    @Test
    @DisplayName("text on the channel that is not a CareChat notification is ignored")
    void foreignNotificationsIgnored() throws Exception {
        try (java.sql.Connection c = database.connect();
                PreparedStatement s = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            for (String junk : List.of("not json", "[1,2]", "{\"node\":\"x\",\"type\":\"message\"}",
                    "{\"node\":\"x\",\"type\":\"presence\",\"userId\":\"bad\\nid\",\"status\":\"BUSY\"}",
                    "{\"node\":\"x\",\"type\":\"unknown\"}")) {
                s.setString(1, channel);
                s.setString(2, junk);
                s.execute();
            }
        }
        MessagingEvent marker = new PresenceChanged(UserId.of("marker-2"), Presence.AWAY, "test-node");
        nodeA.publish(marker);

        await(() -> seenByB.contains(marker), "node B did not get the marker");
        assertThat(seenByB).containsExactly(marker);
    }

    @Test
    @DisplayName("when its listener connection comes back after being cut, a node delivers one Resync to its subscribers")
    void resyncAfterReconnect() throws Exception {
        int before = linkB.opened();
        linkB.cut();
        await(() -> !nodeB.isListening(), "node B did not notice its connection was cut");
        MessagingEvent lost = new PresenceChanged(UserId.of("lost-1"), Presence.AWAY, "test-node");
        try (RawListener raw = new RawListener(database, channel)) {
            nodeA.publish(lost);
            raw.awaitPayload(p -> p.contains("lost-1"));
        }

        linkB.restore();
        await(() -> seenByB.contains(new Resync()), "node B did not deliver a Resync after reconnecting");
        MessagingEvent after = new PresenceChanged(UserId.of("after-1"), Presence.AWAY, "test-node");
        nodeA.publish(after);
        await(() -> seenByB.contains(after), "node B did not get events after reconnecting");

        assertThat(linkB.opened()).isGreaterThan(before);
        assertThat(seenByB).doesNotContain(lost);
        assertThat(ofType(seenByB, Resync.class)).hasSize(1);
    }

    @Test
    @DisplayName("closing a bus stops its three threads and ends its listener connection")
    void closeLeavesNothingBehind() throws Exception {
        List<Thread> threads = new CopyOnWriteArrayList<>();
        BreakableLink link = new BreakableLink(database);
        PostgresEventBus bus = PostgresEventBus.builder(database.dataSource(), storage)
                .listenerConnections(link)
                .channel(channel)
                .nodeId("node-c")
                .pollInterval(Duration.ofMillis(100))
                .threadFactory(runnable -> {
                    Thread thread = new Thread(runnable, "test-bus");
                    thread.setDaemon(true);
                    threads.add(thread);
                    return thread;
                })
                .build();
        await(bus::isListening, "the bus did not start listening");
        bus.publish(new PresenceChanged(UserId.of("someone"), Presence.AWAY, "test-node"));
        await(() -> threads.size() == 3, "the bus did not start its three threads: " + threads);

        bus.close();

        await(() -> threads.stream().noneMatch(Thread::isAlive), "a bus thread is still running");
        assertThat(threads).extracting(Thread::getName)
                .containsExactlyInAnyOrder("test-bus-listen", "test-bus-notify", "test-bus-deliver");
        await(() -> backendCount(link.backend()) == 0, "the listener connection is still open");
    }

    private int backendCount(int pid) {
        try (java.sql.Connection c = database.connect();
                PreparedStatement s = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE pid = ?")) {
            s.setInt(1, pid);
            try (java.sql.ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    @DisplayName("a Resync published by the application reaches only its own node")
    void resyncStaysLocal() {
        nodeA.publish(new Resync());
        MessagingEvent marker = new PresenceChanged(UserId.of("marker-3"), Presence.AWAY, "test-node");
        nodeA.publish(marker);

        await(() -> seenByB.contains(marker), "node B did not get the marker");
        await(() -> seenByA.contains(marker), "node A did not get the marker");
        assertThat(seenByA).containsExactly(new Resync(), marker);
        assertThat(seenByB).containsExactly(marker);
    }
}
