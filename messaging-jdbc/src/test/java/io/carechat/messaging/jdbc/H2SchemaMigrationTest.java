package io.carechat.messaging.jdbc;

import org.junit.jupiter.api.DisplayName;

@DisplayName("Schema migrations on H2")
class H2SchemaMigrationTest extends SchemaMigrationContract {
    @Override
    protected TestDatabase openDatabase() {
        return H2TestDatabase.inMemory();
    }
}
