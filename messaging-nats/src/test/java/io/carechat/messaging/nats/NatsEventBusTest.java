package io.carechat.messaging.nats;

import static io.carechat.messaging.nats.NatsTestSupport.await;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.carechat.messaging.event.MessageCommitted;
import io.carechat.messaging.event.MessagingEvent;
import io.carechat.messaging.event.PresenceChanged;
import io.carechat.messaging.event.Resync;
import io.carechat.messaging.event.RoleRequested;
import io.carechat.messaging.memory.InMemoryStorage;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.MessageId;
import io.carechat.messaging.model.Presence;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.RoleRequest;
import io.carechat.messaging.model.RoleRequestId;
import io.carechat.messaging.model.RoleRequestStatus;
import io.carechat.messaging.model.UserId;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Two buses on one stream, as two nodes sharing one store: what crosses between them, read back
 * from the store, what stays, and what the stream holds; skipped when the NATS server is
 * unreachable (see {@link NatsTestSupport}).
 */
@DisplayName("NatsEventBus between two nodes")
class NatsEventBusTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-01-05T08:00:00Z");

    private final InMemoryStorage storage = new InMemoryStorage();
    private final List<MessagingEvent> seenByA = new CopyOnWriteArrayList<>();
    private final List<MessagingEvent> seenByB = new CopyOnWriteArrayList<>();
    private final List<NatsEventBus> buses = new ArrayList<>();
    private String stream;
    private String prefix;
    private NatsEventBus nodeA;
    private NatsEventBus nodeB;

    @BeforeEach
    void startNodes() {
        NatsTestSupport.requireServer();
        stream = NatsTestSupport.uniqueStream();
        prefix = NatsTestSupport.uniquePrefix();
        nodeA = bus("node-a");
        nodeB = bus("node-b");
        nodeA.subscribe(seenByA::add);
        nodeB.subscribe(seenByB::add);
        await(() -> nodeA.isLinked() && nodeB.isLinked(), "the nodes did not link to the stream");
    }

    private NatsEventBus bus(String node) {
        NatsEventBus bus = NatsEventBus.builder(storage)
                .servers(NatsTestSupport.url())
                .streamName(stream)
                .subjectPrefix(prefix)
                .nodeId(node)
                .maxAge(Duration.ofMinutes(10))
                .maxBytes(8L * 1024 * 1024)
                .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(200))
                .build();
        buses.add(bus);
        return bus;
    }

    @AfterEach
    void stopNodes() throws Exception {
        buses.forEach(NatsEventBus::close);
        if (stream != null) {
            NatsTestSupport.deleteStream(stream);
        }
    }

    private Conversation conversation(UserId a, UserId b) {
        return storage.conversations().openDirect(ConversationId.random(), a, b, T0);
    }

    private static <T extends MessagingEvent> List<T> ofType(List<MessagingEvent> events, Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    @DisplayName("another node's committed message arrives by its ids, with the conversation's members read back from the store")
    void messageCrosses() {
        UserId doctor = UserId.of("doctor-1");
        UserId patient = UserId.of("patient-1");
        Conversation conversation = conversation(doctor, patient);
        MessageId message = MessageId.random();

        nodeA.publish(MessageCommitted.of(message, conversation.id(), 7, List.of(patient, doctor)));

        await(() -> !ofType(seenByB, MessageCommitted.class).isEmpty(), "the message did not reach node B");
        MessageCommitted received = ofType(seenByB, MessageCommitted.class).get(0);
        assertThat(received.messageId()).isEqualTo(message);
        assertThat(received.conversationId()).isEqualTo(conversation.id());
        assertThat(received.seq()).isEqualTo(7);
        assertThat(received.memberIds()).containsExactlyInAnyOrder(doctor, patient);
        assertThat(received.message()).as("the bus opens no body").isEmpty();
    }

    @Test
    @DisplayName("both nodes see each other's events, and their own once, directly and not again from the stream")
    void nodesSeeEachOther() {
        MessagingEvent fromA = new PresenceChanged(UserId.of("from-a"), Presence.AWAY, "node-a");
        MessagingEvent fromB = new PresenceChanged(UserId.of("from-b"), Presence.BUSY, "node-b");
        MessagingEvent markerA = new PresenceChanged(UserId.of("marker-a"), Presence.AVAILABLE, "node-a");
        MessagingEvent markerB = new PresenceChanged(UserId.of("marker-b"), Presence.AVAILABLE, "node-b");

        nodeA.publish(fromA);
        await(() -> seenByB.contains(fromA), "node B did not get node A's event");
        nodeB.publish(fromB);
        await(() -> seenByA.contains(fromB), "node A did not get node B's event");
        // The stream keeps one order: once a node has the other's later event, it has read its own.
        nodeA.publish(markerA);
        await(() -> seenByB.contains(markerA), "node B did not get node A's marker");
        nodeB.publish(markerB);
        await(() -> seenByA.contains(markerB), "node A did not get node B's marker");

        assertThat(seenByA).containsExactly(fromA, fromB, markerA, markerB);
        assertThat(seenByB).containsExactly(fromA, fromB, markerA, markerB);
    }

    @Test
    @DisplayName("a Resync published by the application stays on its node")
    void resyncStaysLocal() {
        MessagingEvent marker = new PresenceChanged(UserId.of("after-resync"), Presence.AWAY, "node-a");

        nodeA.publish(new Resync());
        nodeA.publish(marker);

        await(() -> seenByB.contains(marker), "node B did not get the marker");
        assertThat(ofType(seenByA, Resync.class)).hasSize(1);
        assertThat(seenByB).containsExactly(marker);
    }

    @Test
    @DisplayName("the stream holds ids only: no role request note, no member list, nothing but the payload's fields")
    void streamHoldsIdsOnly() throws Exception {
        UserId doctor = UserId.of("doctor-2");
        UserId patient = UserId.of("patient-2");
        Conversation conversation = conversation(doctor, patient);
        RoleRequest request = storage.roleRequests().create(new RoleRequest(RoleRequestId.random(), patient,
                Role.DOCTOR, "a personal note about my cardiology licence", RoleRequestStatus.PENDING, T0, null, null));
        MessageId message = MessageId.random();

        nodeA.publish(MessageCommitted.of(message, conversation.id(), 3, List.of(doctor, patient)));
        nodeA.publish(new RoleRequested(request));
        await(() -> ofType(seenByB, RoleRequested.class).size() == 1, "the role request did not reach node B");

        List<String> stored = NatsTestSupport.withAdmin(admin -> {
            StreamInfo info = admin.jetStreamManagement().getStreamInfo(stream);
            List<String> texts = new ArrayList<>();
            for (long seq = info.getStreamState().getFirstSequence(); seq <= info.getStreamState().getLastSequence(); seq++) {
                texts.add(new String(admin.jetStreamManagement().getMessage(stream, seq).getData(), UTF_8));
            }
            return texts;
        });

        assertThat(stored).hasSize(2);
        JsonNode committed = JSON.readTree(stored.get(0));
        assertThat(fieldNames(committed)).containsExactlyInAnyOrder("node", "n", "type", "messageId", "conversationId", "seq");
        assertThat(committed.get("messageId").asText()).isEqualTo(message.value());
        assertThat(committed.get("node").asText()).isEqualTo("node-a");
        JsonNode requested = JSON.readTree(stored.get(1));
        assertThat(fieldNames(requested)).containsExactlyInAnyOrder("node", "n", "type", "requestId");
        assertThat(String.join("\n", stored)).doesNotContain("personal note", "cardiology", patient.value());
        assertThat(ofType(seenByB, RoleRequested.class).get(0).request().note())
                .as("node B read the note back from the store").contains("personal note");
    }

    @Test
    @DisplayName("the bus creates its missing stream with file storage, a max age, a max size and only its own subjects")
    void streamCreatedWithLimits() throws Exception {
        StreamConfiguration config = NatsTestSupport.withAdmin(
                admin -> admin.jetStreamManagement().getStreamInfo(stream).getConfiguration());

        assertThat(config.getStorageType()).isEqualTo(StorageType.File);
        assertThat(config.getMaxAge()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.getMaxBytes()).isEqualTo(8L * 1024 * 1024);
        assertThat(config.getSubjects()).containsExactly(prefix + ".>");
        assertThat(nodeA.subject()).isEqualTo(prefix + ".node-a");
        assertThat(nodeA.streamName()).isEqualTo(stream);
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
