package io.carechat.messaging.jdbc;

import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;

/** PostgreSQL: the test's role may not log in and its backends are terminated, then it may again. */
@DisplayName("Storage outage on PostgreSQL")
class PostgresStorageOutageTest extends StorageOutageContract {
    @Override
    protected TestDatabase openDatabase(Path directory) {
        return PostgresTestDatabase.create();
    }
}
