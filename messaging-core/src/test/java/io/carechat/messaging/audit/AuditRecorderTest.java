package io.carechat.messaging.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.error.UnavailableException;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.AuditSink;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("AuditRecorder")
class AuditRecorderTest {
    private static final Instant NOW = Instant.parse("2026-03-02T09:00:00Z");
    private static final Caller CALLER = new Caller(UserId.of("doctor-1"), Set.of(Role.DOCTOR), "192.0.2.7", "req-9");

    private final List<AuditEvent> kept = new ArrayList<>();
    private boolean failing;
    private final AuditSink sink = event -> {
        if (failing) {
            throw new IllegalStateException("audit store down");
        }
        kept.add(event);
    };
    private final AuditRecorder recorder = new AuditRecorder(sink, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    @DisplayName("a caller's event carries the clock's time, the caller's id, roles, address and request id")
    void callerEvent() {
        recorder.record(recorder.event(CALLER, "message.read", AuditEvent.Outcome.SUCCESS).build());

        assertThat(kept).singleElement().satisfies(e -> {
            assertThat(e.time()).isEqualTo(NOW);
            assertThat(e.action()).isEqualTo("message.read");
            assertThat(e.actorId()).isEqualTo(CALLER.userId());
            assertThat(e.actorRoles()).containsExactly(Role.DOCTOR);
            assertThat(e.clientAddress()).isEqualTo("192.0.2.7");
            assertThat(e.requestId()).isEqualTo("req-9");
            assertThat(e.clientId()).isNull();
        });
    }

    @Test
    @DisplayName("a job's event names the job as its client and has no actor")
    void jobEvent() {
        recorder.record(recorder.jobEvent("retention_job", "retention.purge", AuditEvent.Outcome.SUCCESS).build());

        assertThat(kept).singleElement().satisfies(e -> {
            assertThat(e.clientId()).isEqualTo("retention_job");
            assertThat(e.actorId()).isNull();
            assertThat(e.time()).isEqualTo(NOW);
        });
    }

    @Test
    @DisplayName("record fails closed: a sink failure becomes UnavailableException, with the cause kept")
    void recordFailsClosed() {
        failing = true;

        assertThatThrownBy(() -> recorder.record(recorder.event("role.list", AuditEvent.Outcome.SUCCESS).build()))
                .isInstanceOf(UnavailableException.class)
                .hasRootCauseMessage("audit store down");
    }

    @Test
    @DisplayName("recordOrUndo undoes the change when the event is not kept, then fails; an undo that fails is added")
    void recordOrUndo() {
        List<String> undone = new ArrayList<>();
        recorder.recordOrUndo(recorder.event("account.enable", AuditEvent.Outcome.SUCCESS).build(),
                () -> undone.add("kept, so not undone"));
        assertThat(undone).isEmpty();

        failing = true;
        assertThatThrownBy(() -> recorder.recordOrUndo(recorder.event("account.enable", AuditEvent.Outcome.SUCCESS)
                .build(), () -> undone.add("undone")))
                .isInstanceOf(UnavailableException.class);
        assertThat(undone).containsExactly("undone");
        assertThatThrownBy(() -> recorder.recordOrUndo(recorder.event("account.enable", AuditEvent.Outcome.SUCCESS)
                .build(), () -> {
                    throw new IllegalStateException("undo failed too");
                }))
                .isInstanceOf(UnavailableException.class)
                .satisfies(e -> assertThat(e.getSuppressed()).extracting(Throwable::getMessage)
                        .containsExactly("undo failed too"));
    }

    @Test
    @DisplayName("a refusal is kept when it can be, and a sink failure does not turn it into another error")
    void refusalNeverThrows() {
        recorder.recordRefusal(recorder.event(CALLER, "authz.denied", AuditEvent.Outcome.FAILURE).build());
        failing = true;
        recorder.recordRefusal(recorder.event(CALLER, "authz.denied", AuditEvent.Outcome.FAILURE).build());

        assertThat(kept).extracting(AuditEvent::action).containsExactly("authz.denied");
    }
}
