package io.carechat.messaging.jdbc;

import io.carechat.messaging.spi.MessagingStorage;
import io.carechat.messaging.tck.MessageRecallContract;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;

/** The recall kit on each database, a fresh database per test. */
@EachDatabase
@DisplayName("JdbcStorage keeps the MessageStore recall contract")
class JdbcMessageRecallTest extends MessageRecallContract {
    private final DatabaseUnderTest database;
    private @Nullable StorageOnDatabase opened;

    JdbcMessageRecallTest(DatabaseUnderTest database) {
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
