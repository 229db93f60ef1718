package io.carechat.messaging.nats;

import static io.carechat.messaging.nats.NatsTestSupport.await;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.Messaging;
import io.carechat.messaging.crypto.StaticKeyProvider;
import io.carechat.messaging.event.MessageCommitted;
import io.carechat.messaging.event.MessagingEvent;
import io.carechat.messaging.jdbc.JdbcStorage;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.SendRequest;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.nats.client.api.StreamInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Two nodes, each with its own {@link Messaging}, JDBC storage and NATS bus, on one shared
 * database (embedded H2) and one stream: a message sent through one node reaches the other's
 * subscribers opened, while the stream carries its ids only. Skipped when the NATS server is
 * unreachable (see {@link NatsTestSupport}).
 */
@DisplayName("Two nodes on one database and one NATS stream")
class NatsTwoNodesTest {
    private static final StaticKeyProvider KEYS = StaticKeyProvider.generate("k1");

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<MessagingEvent> seenByB = new CopyOnWriteArrayList<>();
    private String stream;
    private JdbcStorage storageA;
    private Messaging nodeA;

    @BeforeEach
    void startNodes() {
        NatsTestSupport.requireServer();
        stream = NatsTestSupport.uniqueStream();
        String prefix = NatsTestSupport.uniquePrefix();
        JdbcDataSource database = new JdbcDataSource();
        database.setURL("jdbc:h2:mem:cc" + UUID.randomUUID().toString().replace("-", "")
                + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
        storageA = JdbcStorage.builder(database).build();
        JdbcStorage storageB = JdbcStorage.builder(database).build();
        nodeA = node("node-a", storageA, prefix);
        Messaging nodeB = node("node-b", storageB, prefix);
        nodeB.subscribe(seenByB::add);
    }

    private Messaging node(String nodeId, JdbcStorage storage, String prefix) {
        resources.add(0, storage);
        NatsEventBus bus = NatsEventBus.builder(storage)
                .servers(NatsTestSupport.url())
                .streamName(stream)
                .subjectPrefix(prefix)
                .nodeId(nodeId)
                .build();
        resources.add(0, bus);
        await(bus::isLinked, nodeId + " did not link to the stream");
        Messaging messaging = Messaging.builder().storage(storage).eventBus(bus)
                .auditSink(storage.auditTrail()).keyProvider(KEYS).build();
        resources.add(0, messaging);
        return messaging;
    }

    @AfterEach
    void stopNodes() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
        if (stream != null) {
            NatsTestSupport.deleteStream(stream);
        }
    }

    private UserId user(Role role) {
        String name = "u" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        return storageA.users().create(new User(UserId.random(), name, name + "@example.org", name,
                Set.of(role), true, Instant.parse("2026-01-05T08:00:00Z")), "hash").id();
    }

    @Test
    @DisplayName("a message sent through one node reaches the other node's subscribers opened, and the stream holds no body")
    void messageCrossesOpened() throws Exception {
        UserId doctor = user(Role.DOCTOR);
        UserId patient = user(Role.PATIENT);
        Caller caller = Caller.of(patient, Set.of(Role.PATIENT));
        Conversation chat = nodeA.openDirect(caller, doctor);

        nodeA.send(caller, SendRequest.text(chat.id(), "m-1", "my chest pain came back tonight"));

        await(() -> seenByB.stream().anyMatch(MessageCommitted.class::isInstance), "node B did not get the message");
        MessageCommitted received = seenByB.stream().filter(MessageCommitted.class::isInstance)
                .map(MessageCommitted.class::cast).findFirst().orElseThrow();
        assertThat(received.message()).hasValueSatisfying(m -> {
            assertThat(m.body()).isEqualTo("my chest pain came back tonight");
            assertThat(m.senderId()).isEqualTo(patient);
        });
        String stored = NatsTestSupport.withAdmin(admin -> {
            StreamInfo info = admin.jetStreamManagement().getStreamInfo(stream);
            StringBuilder all = new StringBuilder();
            for (long seq = info.getStreamState().getFirstSequence(); seq <= info.getStreamState().getLastSequence(); seq++) {
                all.append(new String(admin.jetStreamManagement().getMessage(stream, seq).getData(), UTF_8)).append('\n');
            }
            return all.toString();
        });
        assertThat(stored).contains(received.messageId().value()).doesNotContain("chest pain");
    }
}
