package io.carechat.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.error.NotFoundException;
import io.carechat.messaging.error.UnavailableException;
import io.carechat.messaging.memory.InMemoryAuditSink;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.SendRequest;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.AuditSink;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("When the audit trail cannot be written, the audited action does not happen")
class FailClosedAuditTest {
    private final InMemoryAuditSink kept = new InMemoryAuditSink();
    private final AtomicReference<String> failing = new AtomicReference<>("none");
    private final AuditSink sink = event -> {
        if (event.action().equals(failing.get())) {
            throw new IllegalStateException("audit database down");
        }
        kept.record(event);
    };
    private final Clinic clinic = new Clinic(b -> b.auditSink(sink));

    @AfterEach
    void close() {
        clinic.close();
    }

    @Test
    @DisplayName("a send that cannot be audited is refused as unavailable and nothing is stored or published")
    void send() {
        Conversation chat = clinic.doctorAndPatient();
        failing.set("message.send");
        assertThatThrownBy(() -> clinic.messaging.send(Clinic.as(clinic.doctor),
                SendRequest.text(chat.id(), "m1", "hello"))).isInstanceOf(UnavailableException.class);
        failing.set("none");
        assertThat(clinic.messaging.history(Clinic.as(clinic.patient), chat.id(), null, null).messages()).isEmpty();
        assertThat(clinic.events(io.carechat.messaging.event.MessageCommitted.class)).isEmpty();
    }

    @Test
    @DisplayName("a history read that cannot be audited returns no data")
    void read() {
        Conversation chat = clinic.doctorAndPatient();
        clinic.messaging.send(Clinic.as(clinic.doctor), SendRequest.text(chat.id(), "m1", "hello"));
        failing.set("message.read");
        assertThatThrownBy(() -> clinic.messaging.history(Clinic.as(clinic.patient), chat.id(), null, null))
                .isInstanceOf(UnavailableException.class);
        assertThatThrownBy(() -> clinic.messaging.backlog(Clinic.as(clinic.patient), chat.id()))
                .isInstanceOf(UnavailableException.class);
        assertThat(kept.events()).extracting(AuditEvent::action).doesNotContain("message.read");
    }

    @Test
    @DisplayName("a refusal still stands when its audit record fails")
    void refusalStands() {
        Conversation chat = clinic.doctorAndPatient();
        failing.set("authz.denied");
        assertThatThrownBy(() -> clinic.messaging.history(Clinic.as(clinic.otherPatient), chat.id(), null, null))
                .isInstanceOf(NotFoundException.class);
    }
}
