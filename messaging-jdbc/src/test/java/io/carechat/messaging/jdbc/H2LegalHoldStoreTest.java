package io.carechat.messaging.jdbc;

import io.carechat.messaging.spi.LegalHoldStore;
import io.carechat.messaging.tck.LegalHoldStoreContract;
import org.junit.jupiter.api.DisplayName;

@DisplayName("JdbcStorage on H2 keeps the LegalHoldStore contract")
class H2LegalHoldStoreTest extends LegalHoldStoreContract {
    private H2TestDatabase database;
    private JdbcStorage storage;

    @Override
    protected LegalHoldStore createStore() {
        database = H2TestDatabase.inMemory();
        storage = JdbcStorage.builder(database.dataSource()).build();
        return storage.legalHolds();
    }

    @Override
    protected void disposeStore() {
        storage.close();
        database.close();
    }
}
