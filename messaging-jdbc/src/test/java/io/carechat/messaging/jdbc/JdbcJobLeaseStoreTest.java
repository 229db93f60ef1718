package io.carechat.messaging.jdbc;

import io.carechat.messaging.spi.JobLeaseStore;
import io.carechat.messaging.tck.JobLeaseStoreContract;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;

/** The job lease store kit on each database, a fresh database per test. */
@EachDatabase
@DisplayName("JdbcStorage keeps the JobLeaseStore contract")
class JdbcJobLeaseStoreTest extends JobLeaseStoreContract {
    private final DatabaseUnderTest database;
    private @Nullable StorageOnDatabase opened;

    JdbcJobLeaseStoreTest(DatabaseUnderTest database) {
        this.database = database;
    }

    @Override
    protected JobLeaseStore createStore() {
        opened = StorageOnDatabase.open(database);
        return opened.storage().jobLeases();
    }

    @Override
    protected void disposeStore() {
        if (opened != null) {
            opened.close();
        }
    }
}
