package io.carechat.messaging.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.Messaging;
import io.carechat.messaging.crypto.StaticKeyProvider;
import io.carechat.messaging.memory.InMemoryAuditSink;
import io.carechat.messaging.memory.InMemoryEventBus;
import io.carechat.messaging.memory.InMemoryStorage;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.SendRequest;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Micrometer is optional: without it on the class path the facade builds and sends")
class WithoutMicrometerTest {

    /** Builds a facade and sends a message; run in a class loader that has no Micrometer. */
    public static final class Scenario implements Supplier<String> {
        @Override
        public String get() {
            InMemoryStorage storage = new InMemoryStorage();
            InMemoryEventBus bus = new InMemoryEventBus();
            User doctor = storage.users().create(new User(UserId.of("dr"), "dr", "dr@example.org", "Dr",
                    Set.of(Role.DOCTOR), true, Instant.now()), "hash");
            User patient = storage.users().create(new User(UserId.of("pat"), "pat", "pat@example.org", "Pat",
                    Set.of(Role.PATIENT), true, Instant.now()), "hash");
            try (Messaging messaging = Messaging.builder().storage(storage).eventBus(bus)
                    .auditSink(new InMemoryAuditSink()).keyProvider(StaticKeyProvider.generate("k1")).build()) {
                Conversation chat = messaging.openDirect(Caller.of(patient), doctor.id());
                return messaging.send(Caller.of(patient), SendRequest.text(chat.id(), "m1", "hello")).body();
            } finally {
                bus.close();
            }
        }
    }

    @Test
    @DisplayName("a class loader without Micrometer builds the facade, sends, and never needed a Micrometer class")
    void buildsAndSendsWithoutMicrometer() throws Exception {
        try (URLClassLoader loader = new URLClassLoader(classPathWithoutMicrometer(),
                ClassLoader.getPlatformClassLoader())) {
            assertThatThrownBy(() -> loader.loadClass("io.micrometer.core.instrument.MeterRegistry"))
                    .isInstanceOf(ClassNotFoundException.class);
            @SuppressWarnings("unchecked")
            Supplier<String> scenario = (Supplier<String>) loader.loadClass(Scenario.class.getName())
                    .getConstructor().newInstance();

            assertThat(scenario.get()).isEqualTo("hello");
        }
    }

    private static URL[] classPathWithoutMicrometer() throws MalformedURLException {
        String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<URL> urls = new ArrayList<>();
        for (String entry : path.split(File.pathSeparator)) {
            if (!entry.isEmpty() && !entry.contains("micrometer")) {
                urls.add(new File(entry).toURI().toURL());
            }
        }
        assertThat(urls).extracting(URL::toString).anyMatch(u -> u.contains("messaging-core"));
        return urls.toArray(URL[]::new);
    }
}
