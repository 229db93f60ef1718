package io.carechat.messaging.jdbc;

import static io.carechat.messaging.jdbc.BusTestSupport.await;

import io.carechat.messaging.Messaging;
import io.carechat.messaging.crypto.StaticKeyProvider;
import io.carechat.messaging.event.MessageCommitted;
import io.carechat.messaging.event.MessagingEvent;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.SendRequest;
import io.carechat.messaging.model.UserId;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The README's event bus example, compiled and run on PostgreSQL; skipped without a server. */
@DisplayName("The messaging-jdbc README's event bus example runs")
class PostgresEventBusReadmeTest {

    @Test
    @DisplayName("a node builds the bus from a URL, listens, and its facade's events reach its subscribers")
    void readmeExample() {
        try (PostgresTestDatabase database = PostgresTestDatabase.create();
                JdbcStorage storage = JdbcStorage.builder(database.dataSource()).tablePrefix("cc_").build()) {
            DataSource dataSource = database.dataSource();
            String jdbcUrl = database.url();
            UserId doctor = Fixtures.user(storage, Role.DOCTOR);
            UserId patient = Fixtures.user(storage, Role.PATIENT);
            List<MessagingEvent> events = new CopyOnWriteArrayList<>();
            StaticKeyProvider keys = StaticKeyProvider.generate("k1"); // production: EnvironmentKeyProvider
            // README-SNIPPET-START
            Properties listenerProperties = new Properties();  // user, password, ...
            listenerProperties.setProperty("socketTimeout", "30");
            try (PostgresEventBus bus = PostgresEventBus.builder(dataSource, storage)
                            .listenerUrl(jdbcUrl, listenerProperties) // LISTEN's own connection, not pooled
                            .tablePrefix("cc_")                      // channel cc_carechat_events
                            .nodeId("node-1")                        // unique per node
                            .build();
                    Messaging messaging = Messaging.builder().storage(storage).eventBus(bus)
                            .auditSink(storage.auditTrail()).keyProvider(keys).build()) {
                storage.announceCommitsThrough(bus);                 // new messages announced in their commit
                // Give the same bus to this node's Hub; close the hub, then messaging, then the bus.
                // README-SNIPPET-END
                messaging.subscribe(events::add);
                await(bus::isListening, "the bus did not start listening");
                Conversation chat = messaging.openDirect(Caller.of(patient, Set.of(Role.PATIENT)), doctor);
                messaging.send(Caller.of(patient, Set.of(Role.PATIENT)),
                        SendRequest.text(chat.id(), "m-1", "hello"));
                await(() -> events.stream().anyMatch(MessageCommitted.class::isInstance),
                        "the facade's message did not reach its subscriber");
            }
        }
    }
}
