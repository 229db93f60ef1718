package io.carechat.messaging.jdbc;

import io.carechat.messaging.spi.MessagingStorage;
import io.carechat.messaging.tck.MessagingStorageContract;
import org.junit.jupiter.api.DisplayName;

/**
 * The storage conformance kit on PostgreSQL, a fresh schema per test; skipped unless
 * {@code CARECHAT_TEST_POSTGRES_URL} is set.
 */
@DisplayName("JdbcStorage on PostgreSQL keeps the MessagingStorage contract")
class PostgresStorageConformanceTest extends MessagingStorageContract {
    private PostgresTestDatabase database;

    @Override
    protected MessagingStorage createStorage() {
        database = PostgresTestDatabase.create();
        return JdbcStorage.builder(database.dataSource()).tablePrefix("cc_").build();
    }

    @Override
    protected void disposeStorage(MessagingStorage storage) {
        if (storage != null) {
            ((JdbcStorage) storage).close();
        }
        if (database != null) {
            database.close();
        }
    }
}
