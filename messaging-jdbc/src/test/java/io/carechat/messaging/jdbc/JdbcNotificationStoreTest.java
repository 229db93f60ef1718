package io.carechat.messaging.jdbc;

import io.carechat.messaging.spi.NotificationStore;
import io.carechat.messaging.tck.NotificationStoreContract;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;

/** The offline notification store kit on each database, a fresh database per test. */
@EachDatabase
@DisplayName("JdbcStorage keeps the NotificationStore contract")
class JdbcNotificationStoreTest extends NotificationStoreContract {
    private final DatabaseUnderTest database;
    private @Nullable StorageOnDatabase opened;

    JdbcNotificationStoreTest(DatabaseUnderTest database) {
        this.database = database;
    }

    @Override
    protected NotificationStore createStore() {
        opened = StorageOnDatabase.open(database);
        return opened.storage().notifications();
    }

    @Override
    protected void disposeStore() {
        if (opened != null) {
            opened.close();
        }
    }
}
