package io.carechat.messaging.tck.memory;

import io.carechat.messaging.memory.InMemoryStorage;
import io.carechat.messaging.spi.MessagingStorage;
import io.carechat.messaging.tck.EscalationStoreContract;
import org.junit.jupiter.api.DisplayName;

@DisplayName("InMemoryStorage keeps the escalation storage contract")
class InMemoryEscalationStoreTest extends EscalationStoreContract {
    @Override
    protected MessagingStorage createStorage() {
        return new InMemoryStorage();
    }
}
