package io.carechat.messaging.nats;

import static io.carechat.messaging.nats.NatsTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.Messaging;
import io.carechat.messaging.crypto.StaticKeyProvider;
import io.carechat.messaging.event.MessageCommitted;
import io.carechat.messaging.event.MessagingEvent;
import io.carechat.messaging.memory.InMemoryStorage;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.SendRequest;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The module README's example, compiled and run on a real NATS server; skipped without one. */
@DisplayName("The messaging-nats README's example runs")
class NatsEventBusReadmeTest {
    private static final Path SOURCE = Path.of("src/test/java/io/carechat/messaging/nats/NatsEventBusReadmeTest.java");

    @Test
    @DisplayName("the README shows exactly the code this test runs")
    void readmeShowsThisCode() throws Exception {
        String test = Files.readString(SOURCE);
        String snippet = test.substring(test.indexOf('\n', test.indexOf("// README-SNIPPET-" + "START")) + 1,
                test.indexOf("                // README-SNIPPET-" + "END"));
        String dedented = snippet.lines().map(line -> line.length() >= 12 ? line.substring(12) : line.strip())
                .collect(Collectors.joining("\n", "", "\n"));
        assertThat(dedented).startsWith("try (NatsEventBus bus = NatsEventBus.builder(storage)");
        assertThat(Files.readString(Path.of("README.md"))).contains(dedented);
    }

    @Test
    @DisplayName("a node builds the bus, links to its stream, and its facade's events reach its subscribers")
    void readmeExample() throws Exception {
        NatsTestSupport.requireServer();
        InMemoryStorage storage = new InMemoryStorage();
        String natsUrl = NatsTestSupport.url();
        String streamName = NatsTestSupport.uniqueStream();
        String subjectPrefix = NatsTestSupport.uniquePrefix();
        UserId doctor = user(storage, Role.DOCTOR);
        UserId patient = user(storage, Role.PATIENT);
        List<MessagingEvent> events = new CopyOnWriteArrayList<>();
        StaticKeyProvider keys = StaticKeyProvider.generate("k1"); // production: EnvironmentKeyProvider
        try {
            // README-SNIPPET-START
            try (NatsEventBus bus = NatsEventBus.builder(storage)   // the store every node shares
                            .servers(natsUrl)                      // nats://host:4222, one or more
                            .streamName(streamName)                // default CARECHAT_EVENTS
                            .subjectPrefix(subjectPrefix)          // default carechat.events
                            .nodeId("node-1")                      // unique per node
                            .build();
                    Messaging messaging = Messaging.builder().storage(storage).eventBus(bus)
                            .auditSink(storage.auditTrail()).keyProvider(keys).build()) {
                // Give the same bus to this node's Hub; close the hub, then messaging, then the bus.
                // README-SNIPPET-END
                messaging.subscribe(events::add);
                await(bus::isLinked, "the bus did not link to its stream");
                Conversation chat = messaging.openDirect(Caller.of(patient, Set.of(Role.PATIENT)), doctor);
                messaging.send(Caller.of(patient, Set.of(Role.PATIENT)), SendRequest.text(chat.id(), "m-1", "hello"));
                await(() -> events.stream().anyMatch(MessageCommitted.class::isInstance),
                        "the facade's message did not reach its subscriber");
            }
        } finally {
            NatsTestSupport.deleteStream(streamName);
        }
    }

    private static UserId user(InMemoryStorage storage, Role role) {
        String name = "u" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        return storage.users().create(new User(UserId.random(), name, name + "@example.org", name,
                Set.of(role), true, Instant.parse("2026-01-05T08:00:00Z")), "hash").id();
    }
}
