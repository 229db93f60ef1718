package io.carechat.messaging.tck.memory;

import io.carechat.messaging.memory.InMemoryPresenceStore;
import io.carechat.messaging.spi.PresenceStore;
import io.carechat.messaging.tck.PresenceStoreContract;
import org.junit.jupiter.api.DisplayName;

@DisplayName("InMemoryPresenceStore keeps the PresenceStore contract")
class InMemoryPresenceStoreTest extends PresenceStoreContract {
    @Override
    protected PresenceStore createStore() {
        return new InMemoryPresenceStore();
    }
}
