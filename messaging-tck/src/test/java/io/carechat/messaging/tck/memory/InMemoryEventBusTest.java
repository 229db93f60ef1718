package io.carechat.messaging.tck.memory;

import io.carechat.messaging.memory.InMemoryEventBus;
import io.carechat.messaging.spi.EventBus;
import io.carechat.messaging.tck.EventBusContract;
import org.junit.jupiter.api.DisplayName;

@DisplayName("InMemoryEventBus passes the event bus conformance kit")
class InMemoryEventBusTest extends EventBusContract {
    @Override
    protected EventBus createBus() {
        return new InMemoryEventBus();
    }
}
