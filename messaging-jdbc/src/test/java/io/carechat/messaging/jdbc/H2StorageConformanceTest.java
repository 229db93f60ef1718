package io.carechat.messaging.jdbc;

import io.carechat.messaging.spi.AuditTrail;
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

    /** The trail in the same database, so sends and their events share one transaction. */
    @Override
    protected AuditTrail auditTrailOf(MessagingStorage storage) {
        return ((JdbcStorage) storage).auditTrail();
    }

    @Override
    protected void disposeStorage(MessagingStorage storage) {
        ((JdbcStorage) storage).close();
        database.close();
    }
}
