package io.carechat.messaging.jdbc;

import org.junit.jupiter.api.DisplayName;

/** Skipped unless {@code CARECHAT_TEST_POSTGRES_URL} is set. */
@DisplayName("Encryption at rest on PostgreSQL")
class PostgresEncryptionAtRestTest extends EncryptionAtRestContract {
    @Override
    TestDatabase createDatabase() {
        return PostgresTestDatabase.create();
    }

    @Override
    String prefix() {
        return "cc_";
    }
}
