package io.carechat.messaging.jdbc;

import io.carechat.messaging.spi.AuditTrail;
import io.carechat.messaging.tck.AuditTrailContract;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;

/** The audit trail kit on each database, a fresh database per test, tampered with by hand SQL. */
@EachDatabase
@DisplayName("JdbcStorage's audit trail keeps the AuditTrail contract")
class JdbcAuditTrailTest extends AuditTrailContract {
    private final DatabaseUnderTest database;
    private @Nullable StorageOnDatabase opened;

    JdbcAuditTrailTest(DatabaseUnderTest database) {
        this.database = database;
    }

    @Override
    protected AuditTrail newTrail() {
        opened = StorageOnDatabase.open(database);
        return opened.storage().auditTrail();
    }

    @Override
    protected void tamper(Tampering tampering) throws Exception {
        StorageOnDatabase on = Objects.requireNonNull(opened, "opened");
        AuditTampering.apply(on.database().dataSource(), database.tablePrefix(), tampering, on.storage().auditTrail());
    }

    @AfterEach
    void dispose() {
        if (opened != null) {
            opened.close();
        }
    }
}
