package io.carechat.messaging.jdbc;

import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.RefreshTokenStore;
import io.carechat.messaging.tck.RefreshTokenStoreContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;

/**
 * The refresh token kit on PostgreSQL, a fresh schema per test; skipped unless
 * {@code CARECHAT_TEST_POSTGRES_URL} is set.
 */
@DisplayName("JdbcStorage on PostgreSQL keeps the RefreshTokenStore contract")
class PostgresRefreshTokenStoreTest extends RefreshTokenStoreContract {
    private PostgresTestDatabase database;
    private JdbcStorage storage;

    @Override
    protected RefreshTokenStore newStore() {
        database = PostgresTestDatabase.create();
        storage = JdbcStorage.builder(database.dataSource()).tablePrefix("cc_").build();
        return storage.refreshTokens();
    }

    @Override
    protected UserId newUser() {
        return Fixtures.user(storage, Role.PATIENT);
    }

    @AfterEach
    void dispose() {
        if (storage != null) {
            storage.close();
        }
        if (database != null) {
            database.close();
        }
    }
}
