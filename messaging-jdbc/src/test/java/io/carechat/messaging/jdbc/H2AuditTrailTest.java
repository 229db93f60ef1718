package io.carechat.messaging.jdbc;

import io.carechat.messaging.spi.AuditTrail;
import io.carechat.messaging.tck.AuditTrailContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;

/** The audit trail kit on embedded H2, tampered with by hand SQL. */
@DisplayName("JdbcStorage's audit trail on H2 keeps the AuditTrail contract")
class H2AuditTrailTest extends AuditTrailContract {
    private H2TestDatabase database;
    private JdbcStorage storage;

    @Override
    protected AuditTrail newTrail() {
        database = H2TestDatabase.inMemory();
        storage = JdbcStorage.builder(database.dataSource()).build();
        return storage.auditTrail();
    }

    @Override
    protected void tamper(Tampering tampering) throws Exception {
        AuditTampering.apply(database.dataSource(), "", tampering);
    }

    @AfterEach
    void closeDatabase() {
        storage.close();
        database.close();
    }
}
