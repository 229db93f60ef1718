package io.carechat.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.auth.Accounts;
import io.carechat.messaging.auth.ClientContext;
import io.carechat.messaging.auth.Registration;
import io.carechat.messaging.auth.TokenSettings;
import io.carechat.messaging.crypto.EnvironmentKeyProvider;
import io.carechat.messaging.memory.InMemoryAuditSink;
import io.carechat.messaging.memory.InMemoryEventBus;
import io.carechat.messaging.memory.InMemoryStorage;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.SendRequest;
import io.carechat.messaging.model.User;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
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
    @DisplayName("accounts are made, users log in, and a doctor and a patient open a conversation, send, read"
            + " history and count unread")
    void readmeExample() {
        // What an application reads from its own configuration and its users type in.
        byte[] signingSecret = "a signing secret of at least 256 bits, from the vault".getBytes(StandardCharsets.UTF_8);
        String adminPassword = "correct horse battery staple";
        String greyPassword = "orchid lantern meadow river";
        String samPassword = "velvet compass autumn tide";

        // README-SNIPPET-START
        var bus = new InMemoryEventBus();
        Messaging messaging = Messaging.builder().storage(new InMemoryStorage()).eventBus(bus)
                .auditSink(new InMemoryAuditSink()) // or JdbcStorage.auditTrail()
                .keyProvider(EnvironmentKeyProvider.parse(KEYS)) // or .fromEnvironment(): CARECHAT_KEYS
                .tokens(TokenSettings.builder().issuer("https://chat.hospital.example").audience("carechat")
                        .hmacSecret("key-1", signingSecret).build())
                .build();
        Accounts accounts = messaging.accounts();
        ClientContext client = ClientContext.fromAddress("203.0.113.7");

        accounts.createAdmin(new Registration("admin", "it@hospital.example", adminPassword, "IT desk"));
        Caller admin = messaging.tokens().verify(accounts.login("admin", adminPassword, client).accessToken());
        User grey = accounts.register(new Registration("dr.grey", "grey@hospital.example", greyPassword, "Dr Grey"), client);
        accounts.setRoles(admin, grey.id(), Set.of(Role.DOCTOR));
        accounts.register(new Registration("sam", "sam@example.org", samPassword, "Sam"), client);

        Caller sam = messaging.tokens().verify(accounts.login("sam", samPassword, client).accessToken());
        Caller doctor = messaging.tokens().verify(accounts.login("dr.grey", greyPassword, client).accessToken());
        Conversation chat = messaging.openDirect(sam, grey.id());
        messaging.send(sam, SendRequest.text(chat.id(), "msg-1", "My results came in."));
        List<Message> history = messaging.history(doctor, chat.id(), null, null).messages();
        long unread = messaging.unread(doctor).total(); // 1

        messaging.close();
        bus.close();
        // README-SNIPPET-END
        assertThat(doctor.roles()).containsExactly(Role.DOCTOR);
        assertThat(history).extracting(Message::body).containsExactly("My results came in.");
        assertThat(history.get(0).senderId()).isEqualTo(sam.userId());
        assertThat(unread).isEqualTo(1);
    }
}
