package io.carechat.messaging;

import static io.carechat.messaging.Clinic.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.carechat.messaging.error.BadRequestException;
import io.carechat.messaging.error.ConfigurationException;
import io.carechat.messaging.error.ForbiddenException;
import io.carechat.messaging.model.AccessGround;
import io.carechat.messaging.model.AccessLogEntry;
import io.carechat.messaging.model.AccessLogPage;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.SendRequest;
import io.carechat.messaging.spi.AuditEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The patient's access log")
class AccessLogTest {

    @Test
    @DisplayName("the default policy lets enabled patients read their access log, and no doctor or admin")
    void policy() {
        try (Clinic c = new Clinic()) {
            assertThat(DefaultAccessPolicy.INSTANCE.mayReadAccessLog(c.patient)).isTrue();
            assertThat(DefaultAccessPolicy.INSTANCE.mayReadAccessLog(c.doctor)).isFalse();
            assertThat(DefaultAccessPolicy.INSTANCE.mayReadAccessLog(c.admin)).isFalse();
            assertThatThrownBy(() -> c.messaging.accessLog(as(c.doctor), null, null))
                    .isInstanceOf(ForbiddenException.class);
            assertThatThrownBy(() -> c.messaging.accessLog(as(c.admin), null, null))
                    .isInstanceOf(ForbiddenException.class);
        }
    }

    @Test
    @DisplayName("lists who joined and read the patient's conversations, newest first, on the ground of each;"
            + " the patient's own reads and other patients' conversations are left out")
    void groundsNewestFirst() {
        try (Clinic c = new Clinic()) {
            Conversation conv = c.doctorAndPatient();
            c.clock.advance(Duration.ofSeconds(1));
            c.messaging.send(as(c.patient), SendRequest.text(conv.id(), "p1", "Hello"));
            c.messaging.history(as(c.patient), conv.id(), null, null);
            c.clock.advance(Duration.ofSeconds(1));
            c.messaging.history(as(c.doctor), conv.id(), null, null);
            c.clock.advance(Duration.ofSeconds(1));
            c.messaging.breakGlass(as(c.otherDoctor), conv.id(), "Patient collapsed in the waiting room");
            c.clock.advance(Duration.ofSeconds(1));
            c.messaging.history(as(c.otherDoctor), conv.id(), null, null);
            c.messaging.openDirect(as(c.doctor), c.otherPatient.id());

            AccessLogPage page = c.messaging.accessLog(as(c.patient), null, null);

            assertThat(page.entries())
                    .extracting(AccessLogEntry::userId, AccessLogEntry::access, AccessLogEntry::ground)
                    .containsExactly(
                            tuple(c.otherDoctor.id(), "read", AccessGround.BREAK_GLASS),
                            tuple(c.otherDoctor.id(), "joined", AccessGround.BREAK_GLASS),
                            tuple(c.doctor.id(), "read", AccessGround.MEMBER),
                            tuple(c.doctor.id(), "joined", AccessGround.MEMBER));
            assertThat(page.entries().get(0).displayName()).isEqualTo("Dr Wilson");
            assertThat(page.entries().get(0).roles()).containsExactly(Role.DOCTOR);
            assertThat(page.entries()).allSatisfy(e -> assertThat(e.conversationId()).isEqualTo(conv.id()));
            assertThat(page.nextBefore()).isNull();
            assertThat(c.audit.events()).anySatisfy(e -> assertThat(e.action()).isEqualTo("access_log.read"));
        }
    }

    @Test
    @DisplayName("an escalation recorded as conversation.escalated, or a read with the reason escalation, shows"
            + " the ground escalation")
    void escalationGround() {
        try (Clinic c = new Clinic()) {
            Conversation conv = c.doctorAndPatient();
            for (String action : List.of("conversation.escalated", "message.read")) {
                c.clock.advance(Duration.ofSeconds(1));
                c.audit.record(AuditEvent.builder(c.clock.instant(), action, AuditEvent.Outcome.SUCCESS)
                        .actor(c.otherDoctor.id(), Set.of(Role.DOCTOR))
                        .object("conversation", conv.id().value())
                        .patient(c.patient.id())
                        .reason(action.equals("message.read") ? "escalation" : null)
                        .build());
            }

            assertThat(c.messaging.accessLog(as(c.patient), null, 2).entries())
                    .extracting(AccessLogEntry::access, AccessLogEntry::ground)
                    .containsExactly(tuple("read", AccessGround.ESCALATION), tuple("joined", AccessGround.ESCALATION));
        }
    }

    @Test
    @DisplayName("pages by limit and cursor until the last page, which has no cursor")
    void paging() {
        try (Clinic c = new Clinic()) {
            Conversation conv = c.doctorAndPatient();
            for (int i = 0; i < 4; i++) {
                c.messaging.history(as(c.doctor), conv.id(), null, null);
            }
            List<AccessLogEntry> seen = new ArrayList<>();
            Long before = null;
            int pages = 0;
            do {
                AccessLogPage page = c.messaging.accessLog(as(c.patient), before, 2);
                seen.addAll(page.entries());
                before = page.nextBefore();
                pages++;
            } while (before != null);

            assertThat(pages).isEqualTo(3);
            assertThat(seen).hasSize(5).extracting(AccessLogEntry::sequence)
                    .isSortedAccordingTo((a, b) -> Long.compare(b, a)).doesNotHaveDuplicates();
        }
    }

    @Test
    @DisplayName("the page size is checked against the configurable maximum")
    void limits() {
        try (Clinic c = new Clinic(b -> b.accessLogMaxLimit(3))) {
            assertThatThrownBy(() -> c.messaging.accessLog(as(c.patient), null, 4))
                    .isInstanceOf(BadRequestException.class).hasMessageContaining("1 to 3");
            assertThatThrownBy(() -> c.messaging.accessLog(as(c.patient), null, 0))
                    .isInstanceOf(BadRequestException.class);
            assertThatThrownBy(() -> c.messaging.accessLog(as(c.patient), 0L, 1))
                    .isInstanceOf(BadRequestException.class);
            assertThat(c.messaging.accessLog(as(c.patient), null, 3).entries()).isEmpty();
        }
        assertThatThrownBy(() -> new Clinic(b -> b.accessLogMaxLimit(0)))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("accessLogMaxLimit");
    }
}
