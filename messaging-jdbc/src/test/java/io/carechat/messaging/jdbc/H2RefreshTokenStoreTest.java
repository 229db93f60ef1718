package io.carechat.messaging.jdbc;

import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.RefreshTokenStore;
import io.carechat.messaging.tck.RefreshTokenStoreContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;

/** The refresh token kit on embedded H2, a fresh in-memory database per test. */
@DisplayName("JdbcStorage on H2 keeps the RefreshTokenStore contract")
class H2RefreshTokenStoreTest extends RefreshTokenStoreContract {
    private H2TestDatabase database;
    private JdbcStorage storage;

    @Override
    protected RefreshTokenStore newStore() {
        database = H2TestDatabase.inMemory();
        storage = JdbcStorage.builder(database.dataSource()).build();
        return storage.refreshTokens();
    }

    @Override
    protected UserId newUser() {
        return Fixtures.user(storage, Role.PATIENT);
    }

    @AfterEach
    void dispose() {
        storage.close();
        database.close();
    }
}
