package io.carechat.messaging.jdbc;

import org.junit.jupiter.api.DisplayName;

@DisplayName("Schema constraints on H2")
class H2SchemaConstraintsTest extends SchemaConstraintsContract {
    @Override
    protected TestDatabase openDatabase() {
        return H2TestDatabase.inMemory();
    }
}
