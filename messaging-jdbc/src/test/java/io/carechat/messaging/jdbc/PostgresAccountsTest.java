package io.carechat.messaging.jdbc;

import org.junit.jupiter.api.DisplayName;

/** Accounts through the facade on PostgreSQL; skipped unless {@code CARECHAT_TEST_POSTGRES_URL} is set. */
@DisplayName("Accounts on JdbcStorage with PostgreSQL")
class PostgresAccountsTest extends AccountsOnJdbcContract {
    @Override
    protected TestDatabase openDatabase() {
        return PostgresTestDatabase.create();
    }

    @Override
    protected String tablePrefix() {
        return "cc_";
    }
}
