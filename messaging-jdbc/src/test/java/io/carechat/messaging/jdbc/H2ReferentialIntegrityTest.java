package io.carechat.messaging.jdbc;

import org.junit.jupiter.api.DisplayName;

@DisplayName("Referential integrity on H2")
class H2ReferentialIntegrityTest extends ReferentialIntegrityContract {
    @Override
    protected TestDatabase openDatabase() {
        return H2TestDatabase.inMemory();
    }
}
