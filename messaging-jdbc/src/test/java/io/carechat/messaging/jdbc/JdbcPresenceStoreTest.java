package io.carechat.messaging.jdbc;

import io.carechat.messaging.spi.PresenceStore;
import io.carechat.messaging.tck.PresenceStoreContract;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;

/** The presence store kit on each database, a fresh database per test. */
@EachDatabase
@DisplayName("JdbcStorage keeps the PresenceStore contract")
class JdbcPresenceStoreTest extends PresenceStoreContract {
    private final DatabaseUnderTest database;
    private @Nullable StorageOnDatabase opened;

    JdbcPresenceStoreTest(DatabaseUnderTest database) {
        this.database = database;
    }

    @Override
    protected PresenceStore createStore() {
        opened = StorageOnDatabase.open(database);
        return opened.storage().presence();
    }

    @Override
    protected void disposeStore() {
        if (opened != null) {
            opened.close();
        }
    }
}
