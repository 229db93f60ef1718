package io.carechat.messaging.jdbc;

import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.RefreshTokenStore;
import io.carechat.messaging.tck.RefreshTokenStoreContract;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;

/** The refresh token kit on each database, a fresh database per test; tokens belong to stored users. */
@EachDatabase
@DisplayName("JdbcStorage keeps the RefreshTokenStore contract")
class JdbcRefreshTokenStoreTest extends RefreshTokenStoreContract {
    private final DatabaseUnderTest database;
    private @Nullable StorageOnDatabase opened;

    JdbcRefreshTokenStoreTest(DatabaseUnderTest database) {
        this.database = database;
    }

    @Override
    protected RefreshTokenStore newStore() {
        opened = StorageOnDatabase.open(database);
        return opened.storage().refreshTokens();
    }

    @Override
    protected UserId newUser() {
        return Fixtures.user(Objects.requireNonNull(opened, "opened").storage(), Role.PATIENT);
    }

    @AfterEach
    void dispose() {
        if (opened != null) {
            opened.close();
        }
    }
}
