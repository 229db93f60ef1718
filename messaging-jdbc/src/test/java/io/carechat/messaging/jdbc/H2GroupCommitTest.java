package io.carechat.messaging.jdbc;

import org.junit.jupiter.api.DisplayName;

@DisplayName("Group commit on H2")
class H2GroupCommitTest extends GroupCommitContract {
    @Override
    protected TestDatabase openDatabase() {
        return H2TestDatabase.inMemory();
    }
}
