package io.carechat.messaging.tck.memory;

import io.carechat.messaging.memory.InMemoryJobLeaseStore;
import io.carechat.messaging.spi.JobLeaseStore;
import io.carechat.messaging.tck.JobLeaseStoreContract;
import org.junit.jupiter.api.DisplayName;

@DisplayName("InMemoryJobLeaseStore keeps the JobLeaseStore contract")
class InMemoryJobLeaseStoreTest extends JobLeaseStoreContract {
    @Override
    protected JobLeaseStore createStore() {
        return new InMemoryJobLeaseStore();
    }
}
