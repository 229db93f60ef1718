package io.carechat.messaging.tck.memory;

import io.carechat.messaging.memory.InMemoryStorage;
import io.carechat.messaging.spi.MessagingStorage;
import io.carechat.messaging.tck.MessagingStorageContract;
import org.junit.jupiter.api.DisplayName;

@DisplayName("InMemoryStorage passes the storage conformance kit")
class InMemoryStorageTest extends MessagingStorageContract {
    @Override
    protected MessagingStorage createStorage() {
        return new InMemoryStorage();
    }
}
