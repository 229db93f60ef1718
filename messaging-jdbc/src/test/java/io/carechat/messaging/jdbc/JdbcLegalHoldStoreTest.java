package io.carechat.messaging.jdbc;

import io.carechat.messaging.spi.LegalHoldStore;
import io.carechat.messaging.tck.LegalHoldStoreContract;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;

/** The legal hold store kit on each database, a fresh database per test. */
@EachDatabase
@DisplayName("JdbcStorage keeps the LegalHoldStore contract")
class JdbcLegalHoldStoreTest extends LegalHoldStoreContract {
    private final DatabaseUnderTest database;
    private @Nullable StorageOnDatabase opened;

    JdbcLegalHoldStoreTest(DatabaseUnderTest database) {
        this.database = database;
    }

    @Override
    protected LegalHoldStore createStore() {
        opened = StorageOnDatabase.open(database);
        return opened.storage().legalHolds();
    }

    @Override
    protected void disposeStore() {
        if (opened != null) {
            opened.close();
        }
    }
}
