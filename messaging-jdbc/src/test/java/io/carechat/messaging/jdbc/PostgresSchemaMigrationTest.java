package io.carechat.messaging.jdbc;

import org.junit.jupiter.api.DisplayName;

@DisplayName("Schema migrations on PostgreSQL")
class PostgresSchemaMigrationTest extends SchemaMigrationContract {
    @Override
    protected TestDatabase openDatabase() {
        return PostgresTestDatabase.create();
    }
}
