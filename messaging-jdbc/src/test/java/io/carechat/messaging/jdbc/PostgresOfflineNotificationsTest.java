package io.carechat.messaging.jdbc;

import static io.carechat.messaging.jdbc.BusTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.carechat.messaging.Messaging;
import io.carechat.messaging.crypto.StaticKeyProvider;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.SendRequest;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.notify.NotificationSettings;
import io.carechat.messaging.spi.OfflineNotice;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Two nodes, each with its own pool, {@link JdbcStorage}, {@link PostgresEventBus}, facade and
 * notifier, sharing one PostgreSQL schema and checking for due notices on their own timers at the
 * same pace, so that their claims race; skipped unless {@code CARECHAT_TEST_POSTGRES_URL} is set.
 */
@DisplayName("Offline notifications on two nodes sharing one PostgreSQL database")
class PostgresOfflineNotificationsTest {
    private static final StaticKeyProvider CLUSTER_KEYS = StaticKeyProvider.generate("k1");
    private static final NotificationSettings SETTINGS = NotificationSettings.builder("https://ehr.example/chat")
            .delay(Duration.ofSeconds(1))
            .checkInterval(Duration.ofMillis(100))
            .build();

    private final List<AutoCloseable> resources = new ArrayList<>();
    private PostgresTestDatabase database;
    private String channel;

    /** One server: its pool, storage, bus, facade and the notices its notifier got. */
    private final class Node {
        final Messaging messaging;
        final List<OfflineNotice> notices = new CopyOnWriteArrayList<>();

        Node(String name) {
            HikariDataSource pool = database.openPool(4);
            resources.add(0, pool);
            JdbcStorage storage = JdbcStorage.builder(pool).build();
            resources.add(0, storage);
            PostgresEventBus bus = PostgresEventBus.builder(pool, storage)
                    .listenerConnections(new BusTestSupport.BreakableLink(database))
                    .channel(channel)
                    .nodeId(name)
                    .pollInterval(Duration.ofMillis(100))
                    .build();
            resources.add(0, bus);
            ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
            ExecutorService calls = Executors.newSingleThreadExecutor();
            resources.add(0, timer::shutdownNow);
            resources.add(0, calls::shutdownNow);
            messaging = Messaging.builder().storage(storage).eventBus(bus).auditSink(storage.auditTrail())
                    .keyProvider(CLUSTER_KEYS).nodeId(name)
                    .notifier(notices::add, SETTINGS, timer, calls)
                    .build();
            resources.add(0, messaging);
        }
    }

    @BeforeEach
    void createDatabase() {
        database = PostgresTestDatabase.create();
        resources.add(database);
        channel = "events_" + UUID.randomUUID().toString().replace("-", "");
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    @Test
    @DisplayName("twenty offline patients messaged through both nodes are each told once, by one node or the other")
    void eachUserOnce() throws InterruptedException {
        Node node1 = new Node("node-1");
        Node node2 = new Node("node-2");
        JdbcStorage setup = JdbcStorage.builder(database.dataSource()).build();
        resources.add(0, setup);
        UserId doctor = Fixtures.user(setup, Role.DOCTOR);
        Caller doctorCaller = Caller.of(doctor, Set.of(Role.DOCTOR));
        List<UserId> patients = Fixtures.patients(setup, 20);

        for (int i = 0; i < patients.size(); i++) {
            ConversationId conversation = node1.messaging.openDirect(doctorCaller, patients.get(i)).id();
            Node via = i % 2 == 0 ? node1 : node2;
            via.messaging.send(doctorCaller, SendRequest.text(conversation, "a-" + i, "first"));
            node2.messaging.send(doctorCaller, SendRequest.text(conversation, "b-" + i, "second"));
        }

        await(() -> node1.notices.size() + node2.notices.size() >= patients.size(), "not every patient was told");
        // Both nodes go on checking for ten more rounds: nothing is claimed a second time.
        Thread.sleep(SETTINGS.checkInterval().multipliedBy(10).toMillis());

        List<OfflineNotice> all = new ArrayList<>(node1.notices);
        all.addAll(node2.notices);
        assertThat(all).extracting(OfflineNotice::recipient).containsExactlyInAnyOrderElementsOf(patients);
        assertThat(all).allSatisfy(notice -> {
            assertThat(notice.unreadMessages()).isEqualTo(2);
            assertThat(notice.conversations()).isEqualTo(1);
        });
        assertThat(node1.messaging.notificationStats().failed() + node2.messaging.notificationStats().failed()).isZero();
        assertThat(all.stream().map(OfflineNotice::recipient).collect(Collectors.toSet())).hasSize(patients.size());
    }
}
