package io.carechat.messaging.jdbc;

import io.carechat.messaging.spi.MessagingStorage;
import io.carechat.messaging.tck.MessagingStorageContract;
import org.junit.jupiter.api.DisplayName;

/** The storage conformance kit on embedded H2, a fresh in-memory database per test. */
@DisplayName("JdbcStorage on H2 keeps the MessagingStorage contract")
class H2StorageConformanceTest extends MessagingStorageContract {
    private H2TestDatabase database;

    @Override
    protected MessagingStorage createStorage() {
        database = H2TestDatabase.inMemory();
        return JdbcStorage.builder(database.dataSource()).build();
    }

    @Override
    protected void disposeStorage(MessagingStorage storage) {
        ((JdbcStorage) storage).close();
        database.close();
    }
}
