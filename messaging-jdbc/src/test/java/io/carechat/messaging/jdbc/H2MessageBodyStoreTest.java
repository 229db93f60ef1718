package io.carechat.messaging.jdbc;

import io.carechat.messaging.spi.MessagingStorage;
import io.carechat.messaging.tck.MessageBodyStoreContract;
import org.junit.jupiter.api.DisplayName;

@DisplayName("JdbcStorage on H2 keeps the MessageBodyStore contract")
class H2MessageBodyStoreTest extends MessageBodyStoreContract {
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
