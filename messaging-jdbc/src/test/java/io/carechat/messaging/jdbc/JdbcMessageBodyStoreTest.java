package io.carechat.messaging.jdbc;

import io.carechat.messaging.spi.MessagingStorage;
import io.carechat.messaging.tck.MessageBodyStoreContract;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;

/** The message body store kit on each database, a fresh database per test. */
@EachDatabase
@DisplayName("JdbcStorage keeps the MessageBodyStore contract")
class JdbcMessageBodyStoreTest extends MessageBodyStoreContract {
    private final DatabaseUnderTest database;
    private @Nullable StorageOnDatabase opened;

    JdbcMessageBodyStoreTest(DatabaseUnderTest database) {
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
