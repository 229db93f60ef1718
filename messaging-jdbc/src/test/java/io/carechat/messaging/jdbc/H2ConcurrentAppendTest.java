package io.carechat.messaging.jdbc;

import org.junit.jupiter.api.DisplayName;

@DisplayName("Concurrent appends on H2")
class H2ConcurrentAppendTest extends ConcurrentAppendContract {
    @Override
    protected TestDatabase openDatabase() {
        return H2TestDatabase.inMemory();
    }
}
