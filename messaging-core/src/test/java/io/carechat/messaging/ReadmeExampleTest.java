package io.carechat.messaging;

import io.carechat.messaging.crypto.EnvironmentKeyProvider;
import io.carechat.messaging.memory.InMemoryAuditSink;
import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.memory.InMemoryEventBus;
import io.carechat.messaging.memory.InMemoryStorage;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The embedding example of the README, compiled and run. */
@DisplayName("The README's embedding example runs")
class ReadmeExampleTest {
    /** What the environment variable CARECHAT_KEYS would hold: one key id and 32 random bytes. */
    private static final String KEYS = "k1:" + Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(32));

    @Test
    @DisplayName("a doctor and a patient open a conversation, send, read history and count unread")
    void readmeExample() {
        // README-SNIPPET-START
        var storage = new InMemoryStorage();
        var bus = new InMemoryEventBus();
        Messaging messaging = Messaging.builder().storage(storage).eventBus(bus)
                .auditSink(new InMemoryAuditSink()) // or JdbcStorage.auditTrail()
                .keyProvider(EnvironmentKeyProvider.parse(KEYS)) // or .fromEnvironment()
                .build();

        User doctor = storage.users().create(new User(UserId.random(), "dr.grey", "grey@hospital.example",
                "Dr Grey", Set.of(Role.DOCTOR), true, Instant.now()), "{placeholder-hash}");
        User patient = storage.users().create(new User(UserId.random(), "sam", "sam@example.org",
                "Sam", Set.of(Role.PATIENT), true, Instant.now()), "{placeholder-hash}");

        Conversation chat = messaging.openDirect(Caller.of(patient), doctor.id());
        messaging.send(Caller.of(patient), SendRequest.text(chat.id(), "msg-1", "My results came in."));
        List<Message> history = messaging.history(Caller.of(doctor), chat.id(), null, null).messages();
        long unread = messaging.unread(Caller.of(doctor)).total(); // 1

        messaging.close();
        bus.close();
        // README-SNIPPET-END
        assertThat(history).extracting(Message::body).containsExactly("My results came in.");
        assertThat(history.get(0).senderId()).isEqualTo(patient.id());
        assertThat(unread).isEqualTo(1);
    }
}
