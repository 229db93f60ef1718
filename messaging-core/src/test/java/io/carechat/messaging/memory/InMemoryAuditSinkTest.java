package io.carechat.messaging.memory;

import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.AuditSink;
import io.carechat.messaging.tck.AuditSinkContract;
import java.util.List;
import org.junit.jupiter.api.DisplayName;

@DisplayName("InMemoryAuditSink")
class InMemoryAuditSinkTest extends AuditSinkContract {
    @Override
    protected AuditSink newSink() {
        return new InMemoryAuditSink();
    }

    @Override
    protected List<AuditEvent> recorded(AuditSink sink) {
        return ((InMemoryAuditSink) sink).events();
    }
}
