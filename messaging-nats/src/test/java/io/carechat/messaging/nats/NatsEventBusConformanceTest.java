package io.carechat.messaging.nats;

import io.carechat.messaging.memory.InMemoryStorage;
import io.carechat.messaging.spi.EventBus;
import io.carechat.messaging.tck.EventBusContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;

/**
 * The event bus conformance kit on a real NATS server: a fresh stream and subject prefix per test,
 * deleted afterwards; skipped when the server is unreachable (see {@link NatsTestSupport}).
 */
@DisplayName("NatsEventBus keeps the EventBus contract")
class NatsEventBusConformanceTest extends EventBusContract {
    private String stream;

    @Override
    protected EventBus createBus() {
        NatsTestSupport.requireServer();
        stream = NatsTestSupport.uniqueStream();
        NatsEventBus nats = NatsEventBus.builder(new InMemoryStorage())
                .servers(NatsTestSupport.url())
                .streamName(stream)
                .subjectPrefix(NatsTestSupport.uniquePrefix())
                .build();
        NatsTestSupport.await(nats::isLinked, "the bus did not link to its stream");
        return nats;
    }

    @AfterEach
    void deleteStream() throws Exception {
        if (bus != null) {
            bus.close();
        }
        if (stream != null) {
            NatsTestSupport.deleteStream(stream);
        }
    }
}
