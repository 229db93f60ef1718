package io.carechat.messaging.tck.memory;

import io.carechat.messaging.memory.InMemoryStorage;
import io.carechat.messaging.spi.MessagingStorage;
import io.carechat.messaging.tck.BreakGlassStoreContract;
import org.junit.jupiter.api.DisplayName;

@DisplayName("InMemoryStorage keeps the break-glass storage contract")
class InMemoryBreakGlassStoreTest extends BreakGlassStoreContract {
    @Override
    protected MessagingStorage createStorage() {
        return new InMemoryStorage();
    }
}
