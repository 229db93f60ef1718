package io.carechat.messaging.jdbc;

import io.carechat.messaging.spi.MessagingStorage;
import io.carechat.messaging.tck.EscalationStoreContract;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;

/** The escalation storage kit on each database, a fresh database per test. */
@EachDatabase
@DisplayName("JdbcStorage keeps the escalation storage contract")
class JdbcEscalationStoreTest extends EscalationStoreContract {
    private final DatabaseUnderTest database;
    private @Nullable StorageOnDatabase opened;

    JdbcEscalationStoreTest(DatabaseUnderTest database) {
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
