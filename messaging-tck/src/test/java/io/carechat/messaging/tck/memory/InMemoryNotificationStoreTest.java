package io.carechat.messaging.tck.memory;

import io.carechat.messaging.memory.InMemoryNotificationStore;
import io.carechat.messaging.spi.NotificationStore;
import io.carechat.messaging.tck.NotificationStoreContract;
import org.junit.jupiter.api.DisplayName;

@DisplayName("InMemoryNotificationStore keeps the NotificationStore contract")
class InMemoryNotificationStoreTest extends NotificationStoreContract {
    @Override
    protected NotificationStore createStore() {
        return new InMemoryNotificationStore();
    }
}
