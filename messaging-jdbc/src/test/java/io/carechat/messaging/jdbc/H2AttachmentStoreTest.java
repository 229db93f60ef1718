package io.carechat.messaging.jdbc;

import io.carechat.messaging.spi.MessagingStorage;
import io.carechat.messaging.tck.AttachmentStoreContract;
import org.junit.jupiter.api.DisplayName;

@DisplayName("JdbcStorage on H2 keeps the AttachmentStore contract")
class H2AttachmentStoreTest extends AttachmentStoreContract {
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
