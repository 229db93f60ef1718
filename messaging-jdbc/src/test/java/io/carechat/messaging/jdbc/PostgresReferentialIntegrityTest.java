package io.carechat.messaging.jdbc;

import org.junit.jupiter.api.DisplayName;

@DisplayName("Referential integrity on PostgreSQL")
class PostgresReferentialIntegrityTest extends ReferentialIntegrityContract {
    @Override
    protected TestDatabase openDatabase() {
        return PostgresTestDatabase.create();
    }
}
