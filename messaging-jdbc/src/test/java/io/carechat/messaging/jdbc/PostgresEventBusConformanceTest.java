package io.carechat.messaging.jdbc;

import io.carechat.messaging.spi.EventBus;
import io.carechat.messaging.tck.EventBusContract;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;

/**
 * The event bus conformance kit on PostgreSQL: a fresh schema and a fresh channel per test;
 * skipped unless {@code CARECHAT_TEST_POSTGRES_URL} is set.
 */
@DisplayName("PostgresEventBus keeps the EventBus contract")
class PostgresEventBusConformanceTest extends EventBusContract {
    private PostgresTestDatabase database;
    private JdbcStorage storage;

    @Override
    protected EventBus createBus() {
        database = PostgresTestDatabase.create();
        storage = JdbcStorage.builder(database.dataSource()).build();
        return PostgresEventBus.builder(database.dataSource(), storage)
                .listenerConnections(database::connect)
                .channel("events_" + UUID.randomUUID().toString().replace("-", ""))
                .build();
    }

    @AfterEach
    void closeDatabase() {
        if (bus != null) {
            bus.close();
        }
        if (storage != null) {
            storage.close();
        }
        if (database != null) {
            database.close();
        }
    }
}
