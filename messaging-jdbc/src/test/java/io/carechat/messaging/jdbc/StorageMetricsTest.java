package io.carechat.messaging.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.error.UnavailableException;
import io.carechat.messaging.metrics.MicrometerMetrics;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.NewMessage;
import io.carechat.messaging.tck.Concurrently;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("JdbcStorage records group commit, its queues and storage errors on the registry it is given")
class StorageMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final H2TestDatabase database = H2TestDatabase.inMemory();
    private final CommitFailingDataSource dataSource = new CommitFailingDataSource(database.dataSource());
    private final JdbcStorage storage = JdbcStorage.builder(dataSource).groupCommit(8, Duration.ofMillis(200))
            .meterRegistry(registry).build();

    @AfterEach
    void close() {
        storage.close();
        database.close();
    }

    private List<NewMessage> messages(int count) {
        List<UserId> members = Fixtures.patients(storage, count);
        Conversation group = storage.conversations().createGroup(ConversationId.random(), members, Fixtures.T0);
        List<NewMessage> messages = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            messages.add(Fixtures.message(group.id(), members.get(i), "key-" + i));
        }
        return messages;
    }

    @Test
    @DisplayName("each batch records its size and its oldest item's wait; the queue gauges read empty once drained")
    void batches() {
        List<NewMessage> messages = messages(4);

        Concurrently.run(4, i -> () -> storage.messages().append(messages.get(i)));

        var batch = registry.get(MicrometerMetrics.COMMIT_BATCH).summary();
        assertThat(batch.totalAmount()).isEqualTo(4);
        assertThat(batch.count()).isBetween(1L, 4L);
        assertThat(registry.get(MicrometerMetrics.COMMIT_WAIT).timer().count()).isEqualTo(batch.count());
        assertThat(registry.get(MicrometerMetrics.COMMIT_QUEUE).gauge().value()).isZero();
        assertThat(registry.get(MicrometerMetrics.AUDIT_QUEUE).gauge().value()).isZero();
    }

    @Test
    @DisplayName("a batch whose commit fails counts one storage error of kind commit")
    void failedCommit() {
        List<NewMessage> messages = messages(2);
        dataSource.failCommits(true);

        assertThatThrownBy(() -> storage.messages().append(messages.get(0))).isInstanceOf(UnavailableException.class);

        assertThat(registry.get(MicrometerMetrics.STORAGE_ERRORS).tag("kind", "commit").counter().count())
                .isEqualTo(1);
        for (Meter meter : registry.getMeters()) {
            assertThat(meter.getId().getTags()).allSatisfy(t -> assertThat(t.getKey()).isIn("kind", "phi"));
        }
    }
}
