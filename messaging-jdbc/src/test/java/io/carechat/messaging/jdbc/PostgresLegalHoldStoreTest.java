package io.carechat.messaging.jdbc;

import io.carechat.messaging.spi.LegalHoldStore;
import io.carechat.messaging.tck.LegalHoldStoreContract;
import org.junit.jupiter.api.DisplayName;

/** Skipped unless {@code CARECHAT_TEST_POSTGRES_URL} is set. */
@DisplayName("JdbcStorage on PostgreSQL keeps the LegalHoldStore contract")
class PostgresLegalHoldStoreTest extends LegalHoldStoreContract {
    private PostgresTestDatabase database;
    private JdbcStorage storage;

    @Override
    protected LegalHoldStore createStore() {
        database = PostgresTestDatabase.create();
        storage = JdbcStorage.builder(database.dataSource()).tablePrefix("cc_").build();
        return storage.legalHolds();
    }

    @Override
    protected void disposeStore() {
        if (storage != null) {
            storage.close();
        }
        if (database != null) {
            database.close();
        }
    }
}
