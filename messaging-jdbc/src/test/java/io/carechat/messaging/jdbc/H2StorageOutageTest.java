package io.carechat.messaging.jdbc;

import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;

/** H2 in a file: closing the pool stops the database, a new pool starts it from the file again. */
@DisplayName("Storage outage on H2")
class H2StorageOutageTest extends StorageOutageContract {
    @Override
    protected TestDatabase openDatabase(Path directory) {
        return H2TestDatabase.inFile(directory);
    }
}
