package io.carechat.messaging.jdbc;

import io.carechat.messaging.spi.MessagingStorage;
import io.carechat.messaging.tck.BreakGlassStoreContract;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;

/** The break-glass storage kit on each database, a fresh database per test. */
@EachDatabase
@DisplayName("JdbcStorage keeps the break-glass storage contract")
class JdbcBreakGlassStoreTest extends BreakGlassStoreContract {
    private final DatabaseUnderTest database;
    private @Nullable StorageOnDatabase opened;

    JdbcBreakGlassStoreTest(DatabaseUnderTest database) {
        this.database = database;
    }

    @Override
    protected MessagingStorage createStorage() {
        opened = StorageOnDatabase.open(database);
        return opened.storage();
    }

    @Override
    protected void disposeStorage() {
        if (opened != null) {
            opened.close();
        }
    }
}
