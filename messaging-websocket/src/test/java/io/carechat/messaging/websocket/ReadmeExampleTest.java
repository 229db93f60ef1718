package io.carechat.messaging.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.Messaging;
import io.carechat.messaging.crypto.StaticKeyProvider;
import io.carechat.messaging.error.UnauthenticatedException;
import io.carechat.messaging.hub.Hub;
import io.carechat.messaging.hub.TokenVerifier;
import io.carechat.messaging.hub.VerifiedToken;
import io.carechat.messaging.memory.InMemoryAuditSink;
import io.carechat.messaging.memory.InMemoryEventBus;
import io.carechat.messaging.memory.InMemoryStorage;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.protocol.MessageView;
import io.carechat.messaging.websocket.client.CareChatClient;
import io.carechat.messaging.websocket.client.CareChatListener;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The example of messaging-websocket/README.md, compiled and run. */
@DisplayName("The WebSocket README's example runs")
class ReadmeExampleTest {

    @Test
    @DisplayName("a server starts in a few lines and two clients chat through it")
    void readmeExample() {
        var storage = new InMemoryStorage();
        var bus = new InMemoryEventBus();
        User doctor = storage.users().create(new User(UserId.random(), "dr.grey", "grey@hospital.example",
                "Dr Grey", Set.of(Role.DOCTOR), true, Instant.now()), "{placeholder-hash}");
        User patient = storage.users().create(new User(UserId.random(), "sam", "sam@example.org",
                "Sam", Set.of(Role.PATIENT), true, Instant.now()), "{placeholder-hash}");
        // Stands in for the JWT verifier of the authentication module.
        Map<String, User> issued = Map.of("doctor-token", doctor, "patient-token", patient);
        TokenVerifier verifier = token -> {
            User user = issued.get(token);
            if (user == null) {
                throw new UnauthenticatedException("the token is not valid");
            }
            return new VerifiedToken(Caller.of(user), Instant.now().plus(Duration.ofMinutes(15)));
        };
        List<String> doctorInbox = new CopyOnWriteArrayList<>();

        // README-SNIPPET-START
        Messaging messaging = Messaging.builder().storage(storage).eventBus(bus)
                .auditSink(new InMemoryAuditSink()).keyProvider(StaticKeyProvider.generate("k1")).build(); // production: EnvironmentKeyProvider
        ExecutorService workers = Executors.newFixedThreadPool(8);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        Hub hub = Hub.builder().messaging(messaging).eventBus(bus).tokenVerifier(verifier)
                .workers(workers).scheduler(timer).build();
        CareChatWebSocketServer server = CareChatWebSocketServer.builder()
                .host("127.0.0.1").port(0).hub(hub)
                .allowOrigin("https://chat.hospital.example")
                .build();
        server.start();
        URI endpoint = URI.create("ws://127.0.0.1:" + server.port() + "/ws");

        CareChatClient doctorClient = CareChatClient.builder()
                .uri(endpoint)
                .tokenSupplier(() -> "doctor-token")
                .listener(new CareChatListener() {
                    @Override
                    public void onMessage(MessageView message) {
                        doctorInbox.add(message.body());
                    }
                })
                .build();
        CareChatClient patientClient = CareChatClient.builder()
                .uri(endpoint)
                .tokenSupplier(() -> "patient-token")
                .build();
        doctorClient.connect().join();
        patientClient.connect().join();

        Conversation chat = patientClient.open(doctor.id()).join();
        MessageView sent = patientClient.send(chat.id(), "My results came in.").join();
        // README-SNIPPET-END

        Await.until("the doctor got the message", () -> !doctorInbox.isEmpty());
        // README-SNIPPET-START
        patientClient.close();
        doctorClient.close();
        server.close();
        hub.close();
        messaging.close();
        bus.close();
        workers.shutdown();
        timer.shutdown();
        // README-SNIPPET-END
        assertThat(sent.seq()).isEqualTo(1);
        assertThat(doctorInbox).containsExactly("My results came in.");
    }
}
