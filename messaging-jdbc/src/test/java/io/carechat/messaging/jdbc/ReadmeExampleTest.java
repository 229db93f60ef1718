package io.carechat.messaging.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.carechat.messaging.Messaging;
import io.carechat.messaging.crypto.StaticKeyProvider;
import io.carechat.messaging.memory.InMemoryEventBus;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.SendRequest;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The module README's example, compiled and run through the facade on H2. */
@DisplayName("The messaging-jdbc README's example runs")
class ReadmeExampleTest {

    @Test
    @DisplayName("the facade on JdbcStorage over H2 opens a conversation, sends, reads history and counts unread")
    void readmeExample() {
        List<Message> history;
        long unread;
        // README-SNIPPET-START
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl("jdbc:h2:mem:carechat-readme");
        pool.setMaximumPoolSize(4);
        pool.setConnectionTimeout(2_000); // bounded: a database that is gone fails fast
        try (HikariDataSource dataSource = new HikariDataSource(pool);
                JdbcStorage storage = JdbcStorage.builder(dataSource)
                        .tablePrefix("cc_")                        // optional
                        .groupCommit(64, Duration.ofMillis(2))     // batch size, wait for more
                        .build();                                  // migrates the schema
                InMemoryEventBus bus = new InMemoryEventBus();
                Messaging messaging = Messaging.builder().storage(storage).eventBus(bus)
                        .auditSink(storage.auditTrail())           // hash-chained, in the database
                        .keyProvider(StaticKeyProvider.generate("k1")) // or EnvironmentKeyProvider
                        .build()) {

            User doctor = storage.users().create(new User(UserId.random(), "dr.grey", "grey@hospital.example",
                    "Dr Grey", Set.of(Role.DOCTOR), true, Instant.now()), "{placeholder-hash}");
            User patient = storage.users().create(new User(UserId.random(), "sam", "sam@example.org",
                    "Sam", Set.of(Role.PATIENT), true, Instant.now()), "{placeholder-hash}");

            Conversation chat = messaging.openDirect(Caller.of(patient), doctor.id());
            messaging.send(Caller.of(patient), SendRequest.text(chat.id(), "msg-1", "My results came in."));
            history = messaging.history(Caller.of(doctor), chat.id(), null, null).messages();
            unread = messaging.unread(Caller.of(doctor)).total(); // 1
        }
        // README-SNIPPET-END
        assertThat(history).extracting(Message::body).containsExactly("My results came in.");
        assertThat(unread).isEqualTo(1);
    }
}
