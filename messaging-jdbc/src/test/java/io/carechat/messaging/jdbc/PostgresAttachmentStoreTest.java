package io.carechat.messaging.jdbc;

import io.carechat.messaging.spi.MessagingStorage;
import io.carechat.messaging.tck.AttachmentStoreContract;
import org.junit.jupiter.api.DisplayName;

/** Skipped unless {@code CARECHAT_TEST_POSTGRES_URL} is set. */
@DisplayName("JdbcStorage on PostgreSQL keeps the AttachmentStore contract")
class PostgresAttachmentStoreTest extends AttachmentStoreContract {
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
