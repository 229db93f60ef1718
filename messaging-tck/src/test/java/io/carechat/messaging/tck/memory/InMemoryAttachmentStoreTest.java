package io.carechat.messaging.tck.memory;

import io.carechat.messaging.memory.InMemoryAttachmentStore;
import io.carechat.messaging.memory.InMemoryStorage;
import io.carechat.messaging.spi.MessagingStorage;
import io.carechat.messaging.tck.AttachmentStoreContract;
import org.junit.jupiter.api.DisplayName;

@DisplayName("InMemoryAttachmentStore keeps the AttachmentStore contract")
class InMemoryAttachmentStoreTest extends AttachmentStoreContract {
    @Override
    protected MessagingStorage createStorage() {
        return new InMemoryStorage();
    }
}
