package io.carechat.messaging.tck.memory;

import io.carechat.messaging.memory.InMemoryStorage;
import io.carechat.messaging.spi.MessagingStorage;
import io.carechat.messaging.tck.MessageRecallContract;
import org.junit.jupiter.api.DisplayName;

@DisplayName("InMemoryStorage keeps the MessageStore recall contract")
class InMemoryMessageRecallTest extends MessageRecallContract {
    @Override
    protected MessagingStorage createStorage() {
        return new InMemoryStorage();
    }
}
