package io.carechat.messaging.tck.memory;

import io.carechat.messaging.memory.InMemoryLegalHoldStore;
import io.carechat.messaging.spi.LegalHoldStore;
import io.carechat.messaging.tck.LegalHoldStoreContract;
import org.junit.jupiter.api.DisplayName;

@DisplayName("InMemoryLegalHoldStore keeps the LegalHoldStore contract")
class InMemoryLegalHoldStoreTest extends LegalHoldStoreContract {
    @Override
    protected LegalHoldStore createStore() {
        return new InMemoryLegalHoldStore();
    }
}
