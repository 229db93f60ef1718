package io.carechat.messaging.jdbc;

import static io.carechat.messaging.jdbc.BusTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.carechat.messaging.Messaging;
import io.carechat.messaging.crypto.StaticKeyProvider;
import io.carechat.messaging.error.UnavailableException;
import io.carechat.messaging.event.MessageCommitted;
import io.carechat.messaging.event.MessagingEvent;
import io.carechat.messaging.event.PresenceChanged;
import io.carechat.messaging.jdbc.BusTestSupport.RawListener;
import io.carechat.messaging.model.AttachmentId;
import io.carechat.messaging.model.AttachmentRef;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.MessageId;
import io.carechat.messaging.model.Presence;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.SendRequest;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AppendResult;
import io.carechat.messaging.spi.NewMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Node A's storage announces its new messages through node A's bus inside the transaction that
 * stores them ({@link JdbcStorage#announceCommitsThrough(PostgresEventBus)}); node B listens on the
 * same database and channel, and so does a raw {@code LISTEN}, which shows exactly what was sent.
 * Node A's commits go through a data source that can fail them or lose their replies. Skipped
 * unless {@code CARECHAT_TEST_POSTGRES_URL} is set.
 */
@DisplayName("New messages announced in their commit")
class CommitAnnouncementTest {
    private static final StaticKeyProvider KEYS = StaticKeyProvider.generate("k1");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<MessagingEvent> seenByA = new CopyOnWriteArrayList<>();
    private final List<MessagingEvent> seenByB = new CopyOnWriteArrayList<>();
    private PostgresTestDatabase database;
    private String channel;
    private CommitFailingDataSource dataSourceA;
    private JdbcStorage storageA;
    private PostgresEventBus busA;
    private Messaging messagingA;
    private RawListener raw;
    private UserId doctor;
    private UserId patient;
    private ConversationId conversation;

    @BeforeEach
    void startNodes() throws Exception {
        database = PostgresTestDatabase.create();
        resources.add(database);
        channel = "events_" + UUID.randomUUID().toString().replace("-", "");
        dataSourceA = new CommitFailingDataSource(database.dataSource());
        storageA = JdbcStorage.builder(dataSourceA).build();
        resources.add(0, storageA);
        busA = bus(dataSourceA, storageA, "node-a");
        storageA.announceCommitsThrough(busA);
        messagingA = Messaging.builder().storage(storageA).eventBus(busA).auditSink(storageA.auditTrail())
                .keyProvider(KEYS).build();
        resources.add(0, messagingA);
        JdbcStorage storageB = JdbcStorage.builder(database.dataSource()).build();
        resources.add(0, storageB);
        PostgresEventBus busB = bus(database.dataSource(), storageB, "node-b");
        busA.subscribe(seenByA::add);
        busB.subscribe(seenByB::add);
        raw = new RawListener(database, channel);
        resources.add(0, raw);
        doctor = Fixtures.user(storageA, Role.DOCTOR);
        patient = Fixtures.user(storageA, Role.PATIENT);
        conversation = messagingA.openDirect(Caller.of(doctor, Set.of(Role.DOCTOR)), patient).id();
        await(() -> busA.isListening() && busB.isListening(), "the nodes did not start listening");
    }

    private PostgresEventBus bus(DataSource dataSource, JdbcStorage storage, String node) {
        PostgresEventBus bus = PostgresEventBus.builder(dataSource, storage)
                .listenerConnections(database::connect)
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

    @Test
    @DisplayName("a stored message reaches node B although node A's bus closed right after the commit, never publishing it")
    void announcedWithoutTheBusAfterTheCommit() throws Exception {
        AppendResult result = storageA.messages().append(Fixtures.message(conversation, patient, "m-1"));
        busA.close();

        Message stored = result.message();
        await(() -> count(seenByB, stored.id()) == 1, "node B did not hear of the committed message");
        MessageCommitted heard = (MessageCommitted) seenByB.stream()
                .filter(e -> e instanceof MessageCommitted c && c.messageId().equals(stored.id()))
                .findFirst().orElseThrow();
        assertThat(heard.conversationId()).isEqualTo(conversation);
        assertThat(heard.seq()).isEqualTo(stored.seq());
        assertThat(heard.memberIds()).as("read back by node B").containsExactlyInAnyOrder(doctor, patient);

        JsonNode payload = JSON.readTree(raw.awaitPayload(p -> p.contains(stored.id().value())).stream()
                .filter(p -> p.contains(stored.id().value())).findFirst().orElseThrow());
        List<String> fields = new ArrayList<>();
        for (Iterator<String> names = payload.fieldNames(); names.hasNext(); ) {
            fields.add(names.next());
        }
        assertThat(fields).as("ids only, as the bus sends them")
                .containsExactlyInAnyOrder("node", "n", "type", "messageId", "conversationId", "seq");
        assertThat(payload.get("node").asText()).isEqualTo("node-a");
        assertThat(payload.get("type").asText()).isEqualTo("message");
        assertThat(payload.get("conversationId").asText()).isEqualTo(conversation.value());
        assertThat(payload.get("seq").asLong()).isEqualTo(stored.seq());
        assertThat(payload.get("n").isIntegralNumber()).isTrue();
    }

    @Test
    @DisplayName("a message whose transaction rolls back is not announced; its retry is announced once")
    void rolledBackIsNeverAnnounced() throws Exception {
        NewMessage message = Fixtures.message(conversation, patient, "m-rolled-back");
        dataSourceA.failCommits(true);
        assertThatThrownBy(() -> storageA.messages().append(message)).isInstanceOf(UnavailableException.class);
        dataSourceA.failCommits(false);

        AppendResult retried = storageA.messages().append(message);

        assertThat(retried.created()).as("the first attempt stored nothing").isTrue();
        MessageId id = retried.message().id();
        awaitMarkerAfter();
        assertThat(count(seenByB, id)).as("node B heard of it").isEqualTo(1);
        assertThat(raw.awaitPayloads(0).stream().filter(p -> p.contains(id.value())))
                .as("notifications naming the message").hasSize(1);
    }

    @Test
    @DisplayName("a send through node A's facade reaches node A's subscribers once and node B once")
    void eachNodeHearsOnce() throws Exception {
        Message sent = messagingA.send(Caller.of(patient, Set.of(Role.PATIENT)),
                SendRequest.text(conversation, "m-2", "See you Tuesday"));

        awaitMarkerAfter();
        assertThat(count(seenByA, sent.id())).as("node A's own subscribers").isEqualTo(1);
        assertThat(count(seenByB, sent.id())).as("node B").isEqualTo(1);
        assertThat(raw.awaitPayloads(0).stream().filter(p -> p.contains(sent.id().value())))
                .as("notifications naming the message: only the one sent in its commit").hasSize(1);
    }

    @Test
    @DisplayName("a commit reported failed that had committed is announced once, by the commit, not again by the bus")
    void lostCommitReplyIsAnnouncedOnce() throws Exception {
        dataSourceA.loseCommitReplies(true);
        Message sent = messagingA.send(Caller.of(patient, Set.of(Role.PATIENT)),
                SendRequest.text(conversation, "m-3", "The reply of this commit is lost"));
        dataSourceA.loseCommitReplies(false);

        awaitMarkerAfter();
        assertThat(count(seenByA, sent.id())).as("node A's own subscribers").isEqualTo(1);
        assertThat(count(seenByB, sent.id())).as("node B").isEqualTo(1);
        assertThat(raw.awaitPayloads(0).stream().filter(p -> p.contains(sent.id().value())))
                .as("notifications naming the message").hasSize(1);
    }

    @Test
    @DisplayName("a message with attachments is left to the bus, which announces it when its event is published")
    void attachmentsAreAnnouncedByTheBus() throws Exception {
        NewMessage base = Fixtures.message(conversation, patient, "m-attached");
        NewMessage attached = new NewMessage(base.id(), base.conversationId(), base.senderId(), base.clientMsgId(),
                base.body(), base.priority(),
                List.of(new AttachmentRef(AttachmentId.random(), "results.pdf", "application/pdf", 1024)),
                base.sentAt());
        Message stored = storageA.messages().append(attached).message();

        awaitMarkerAfter();
        assertThat(count(seenByB, stored.id())).as("not announced by its commit").isZero();

        busA.publish(MessageCommitted.of(stored.id(), conversation, stored.seq(), List.of(doctor, patient)));
        await(() -> count(seenByB, stored.id()) == 1, "node B did not hear of the published message");
        awaitMarkerAfter();
        assertThat(count(seenByB, stored.id())).as("node B").isEqualTo(1);
        assertThat(count(seenByA, stored.id())).as("node A's own subscribers").isEqualTo(1);
    }

    @Test
    @DisplayName("a storage announces only through a bus built on it")
    void onlyThroughItsOwnBus() {
        JdbcStorage other = JdbcStorage.builder(database.dataSource()).build();
        resources.add(0, other);

        assertThatThrownBy(() -> other.announceCommitsThrough(busA)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Publishes an event on node A after what the test did and waits until node B and the raw
     * listener have it: a notification node A sent earlier, in a commit or from its bus's queue,
     * has arrived by then.
     */
    private void awaitMarkerAfter() throws Exception {
        PresenceChanged marker = new PresenceChanged(UserId.random(), Presence.AVAILABLE, "test-node");
        busA.publish(marker);
        await(() -> seenByB.contains(marker), "node B did not get the marker");
        raw.awaitPayload(p -> p.contains(marker.userId().value()));
    }

    private static long count(List<MessagingEvent> seen, MessageId id) {
        return seen.stream().filter(e -> e instanceof MessageCommitted c && c.messageId().equals(id)).count();
    }
}
