package io.carechat.messaging.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.error.ConfigurationException;
import io.carechat.messaging.memory.InMemoryStorage;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The builder's checks; none of these tests needs a NATS server. */
@DisplayName("NatsEventBus builder")
class NatsEventBusBuilderTest {

    @Test
    @DisplayName("refuses a bad configuration, reporting every problem at once, before connecting")
    void reportsEveryProblem() {
        assertThatThrownBy(() -> NatsEventBus.builder(new InMemoryStorage())
                        .streamName("events stream")
                        .subjectPrefix("carechat.*")
                        .nodeId("node one")
                        .maxAge(Duration.ofSeconds(5))
                        .maxBytes(10)
                        .replicas(0)
                        .reconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1))
                        .maxQueuedEvents(0)
                        .confirmTimeout(Duration.ZERO)
                        .build())
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems())
                        .hasSize(10)
                        .anyMatch(p -> p.startsWith("servers"))
                        .anyMatch(p -> p.startsWith("streamName"))
                        .anyMatch(p -> p.startsWith("subjectPrefix"))
                        .anyMatch(p -> p.startsWith("nodeId"))
                        .anyMatch(p -> p.startsWith("maxAge"))
                        .anyMatch(p -> p.startsWith("maxBytes"))
                        .anyMatch(p -> p.startsWith("replicas"))
                        .anyMatch(p -> p.startsWith("reconnectBackoff"))
                        .anyMatch(p -> p.startsWith("maxQueuedEvents"))
                        .anyMatch(p -> p.startsWith("confirmTimeout")));
    }

    @Test
    @DisplayName("a server URL the client refuses is reported without echoing it, since URLs may carry credentials")
    void malformedUrlNotEchoed() {
        assertThatThrownBy(() -> NatsEventBus.builder(new InMemoryStorage())
                        .servers("nats://carechat:s3cret-password@[not a host")
                        .build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("servers")
                .hasMessageNotContaining("s3cret-password");
    }

    @Test
    @DisplayName("a subject prefix with a wildcard or an empty token is refused")
    void subjectPrefixTokens() {
        for (String prefix : new String[] {"a..b", ".a", "a.>", "a b"}) {
            assertThatThrownBy(() -> NatsEventBus.builder(new InMemoryStorage())
                            .servers("nats://127.0.0.1:4222")
                            .subjectPrefix(prefix)
                            .build())
                    .as(prefix)
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("subjectPrefix");
        }
    }
}
