package io.carechat.messaging.jdbc;

import org.junit.jupiter.api.DisplayName;

@DisplayName("Schema constraints on PostgreSQL")
class PostgresSchemaConstraintsTest extends SchemaConstraintsContract {
    @Override
    protected TestDatabase openDatabase() {
        return PostgresTestDatabase.create();
    }
}
