package io.carechat.messaging.jdbc;

import io.carechat.messaging.spi.AuditTrail;
import io.carechat.messaging.tck.AuditTrailContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;

/**
 * The audit trail kit on PostgreSQL, tampered with by hand SQL; skipped unless
 * {@code CARECHAT_TEST_POSTGRES_URL} is set.
 */
@DisplayName("JdbcStorage's audit trail on PostgreSQL keeps the AuditTrail contract")
class PostgresAuditTrailTest extends AuditTrailContract {
    private PostgresTestDatabase database;
    private JdbcStorage storage;

    @Override
    protected AuditTrail newTrail() {
        database = PostgresTestDatabase.create();
        storage = JdbcStorage.builder(database.dataSource()).tablePrefix("cc_").build();
        return storage.auditTrail();
    }

    @Override
    protected void tamper(Tampering tampering) throws Exception {
        AuditTampering.apply(database.dataSource(), "cc_", tampering);
    }

    @AfterEach
    void closeDatabase() {
        if (storage != null) {
            storage.close();
        }
        if (database != null) {
            database.close();
        }
    }
}
