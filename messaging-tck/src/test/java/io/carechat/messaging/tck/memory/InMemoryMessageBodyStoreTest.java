package io.carechat.messaging.tck.memory;

import io.carechat.messaging.memory.InMemoryStorage;
import io.carechat.messaging.spi.MessagingStorage;
import io.carechat.messaging.tck.MessageBodyStoreContract;
import org.junit.jupiter.api.DisplayName;

@DisplayName("InMemoryStorage keeps the MessageBodyStore contract")
class InMemoryMessageBodyStoreTest extends MessageBodyStoreContract {
    @Override
    protected MessagingStorage createStorage() {
        return new InMemoryStorage();
    }
}
