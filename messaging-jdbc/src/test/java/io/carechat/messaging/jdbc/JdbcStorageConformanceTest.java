package io.carechat.messaging.jdbc;

import io.carechat.messaging.spi.MessagingStorage;
import io.carechat.messaging.tck.MessagingStorageContract;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;

/** The storage conformance kit on each database, a fresh database per test. */
@EachDatabase
@DisplayName("JdbcStorage keeps the MessagingStorage contract")
class JdbcStorageConformanceTest extends MessagingStorageContract {
    private final DatabaseUnderTest database;
    private @Nullable StorageOnDatabase opened;

    JdbcStorageConformanceTest(DatabaseUnderTest database) {
        this.database = database;
    }

    @Override
    protected MessagingStorage createStorage() {
        opened = StorageOnDatabase.open(database);
        return opened.storage();
    }

    @Override
    protected void disposeStorage(MessagingStorage storage) {
        if (opened != null) {
            opened.close();
        }
    }
}
