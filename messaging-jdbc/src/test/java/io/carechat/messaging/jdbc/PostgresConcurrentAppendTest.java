package io.carechat.messaging.jdbc;

import org.junit.jupiter.api.DisplayName;

@DisplayName("Concurrent appends on PostgreSQL")
class PostgresConcurrentAppendTest extends ConcurrentAppendContract {
    @Override
    protected TestDatabase openDatabase() {
        return PostgresTestDatabase.create();
    }
}
