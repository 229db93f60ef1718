package io.carechat.messaging;

import io.carechat.messaging.crypto.StaticKeyProvider;
import io.carechat.messaging.memory.InMemoryAuditSink;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.carechat.messaging.memory.InMemoryEventBus;
import io.carechat.messaging.memory.InMemoryStorage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Messaging.Builder")
class MessagingBuilderTest {

    @Test
    @DisplayName("build() reports every problem of the configuration at once")
    void reportsEveryProblem() {
        MessagingLimits bad = MessagingLimits.builder()
                .maxBodyChars(0)
                .maxClientMsgIdLength(65)
                .defaultHistoryLimit(200)
                .backlogLimit(-1)
                .build();
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class,
                () -> Messaging.builder().limits(bad).build());
        assertThat(e).isNotNull();
        assertThat(e.problems()).containsExactlyInAnyOrder(
                "storage is required",
                "eventBus is required",
                "auditSink is required",
                "keyProvider is required",
                "maxBodyChars must be at least 1, was 0",
                "maxClientMsgIdLength must be 1 to 64, was 65",
                "defaultHistoryLimit must be 1 to maxHistoryLimit (100), was 200",
                "backlogLimit must be at least 1, was -1");
        assertThat(e.getMessage()).startsWith("Messaging is misconfigured: ");
    }

    @Test
    @DisplayName("a complete configuration builds, and the facade keeps the given clock and limits")
    void completeConfigurationBuilds() {
        MessagingLimits limits = MessagingLimits.builder().maxBodyChars(100).build();
        MutableClock clock = new MutableClock(Clinic.START);
        try (InMemoryEventBus bus = new InMemoryEventBus();
                Messaging messaging = Messaging.builder().storage(new InMemoryStorage()).eventBus(bus)
                        .auditSink(new InMemoryAuditSink()).keyProvider(StaticKeyProvider.generate("k1"))
                        .clock(clock).limits(limits).build()) {
            assertThat(messaging.limits()).isEqualTo(limits);
            assertThat(messaging.clock()).isSameAs(clock);
        }
    }
}
