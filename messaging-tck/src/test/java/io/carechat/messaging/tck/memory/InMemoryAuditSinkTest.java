package io.carechat.messaging.tck.memory;

import io.carechat.messaging.memory.InMemoryAuditSink;
import io.carechat.messaging.spi.AuditTrail;
import io.carechat.messaging.tck.AuditTrailContract;
import org.junit.jupiter.api.DisplayName;

@DisplayName("InMemoryAuditSink")
class InMemoryAuditSinkTest extends AuditTrailContract {
    @Override
    protected AuditTrail newTrail() {
        return new InMemoryAuditSink();
    }
}
