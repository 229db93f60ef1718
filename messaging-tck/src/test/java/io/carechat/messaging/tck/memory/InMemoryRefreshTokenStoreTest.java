package io.carechat.messaging.tck.memory;

import io.carechat.messaging.memory.InMemoryRefreshTokenStore;
import io.carechat.messaging.spi.RefreshTokenStore;
import io.carechat.messaging.tck.RefreshTokenStoreContract;
import org.junit.jupiter.api.DisplayName;

@DisplayName("InMemoryRefreshTokenStore")
class InMemoryRefreshTokenStoreTest extends RefreshTokenStoreContract {
    @Override
    protected RefreshTokenStore newStore() {
        return new InMemoryRefreshTokenStore();
    }
}
