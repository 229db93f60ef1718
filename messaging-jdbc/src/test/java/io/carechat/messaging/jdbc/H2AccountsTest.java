package io.carechat.messaging.jdbc;

import org.junit.jupiter.api.DisplayName;

/** Accounts through the facade on embedded H2. */
@DisplayName("Accounts on JdbcStorage with H2")
class H2AccountsTest extends AccountsOnJdbcContract {
    @Override
    protected TestDatabase openDatabase() {
        return H2TestDatabase.inMemory();
    }

    @Override
    protected String tablePrefix() {
        return "";
    }
}
