package io.carechat.messaging;

import static io.carechat.messaging.Clinic.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.error.BadRequestException;
import io.carechat.messaging.error.ConfigurationException;
import io.carechat.messaging.error.ForbiddenException;
import io.carechat.messaging.event.ConversationEscalated;
import io.carechat.messaging.event.MembersChanged;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.EscalationOutcome;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.model.SendRequest;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AuditEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Urgent escalation to the on-call roster")
class EscalationTest {
    private static final Duration DELAY = Duration.ofMinutes(10);
    /** The timer's own scan never runs within a test; the tests call escalateDue themselves. */
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    private Clinic clinic() {
        return new Clinic(b -> b.urgentEscalation(DELAY, Duration.ofMinutes(10), timer));
    }

    private static Message send(Clinic c, User sender, Conversation conv, Priority priority) {
        return c.messaging.send(as(sender), SendRequest.text(conv.id(), UUID.randomUUID().toString(), "help")
                .withPriority(priority));
    }

    private static List<AuditEvent> audited(Clinic c, String action) {
        return c.audit.events().stream().filter(e -> e.action().equals(action)).toList();
    }

    @Nested
    @DisplayName("when it fires")
    class Firing {

        @Test
        @DisplayName("a patient's unread urgent message escalates once: notice, membership and audit per on-call doctor")
        void firesOnce() {
            try (Clinic c = clinic()) {
                c.messaging.replaceOnCall(as(c.admin), List.of(c.otherDoctor.id()));
                Conversation conv = c.doctorAndPatient();
                Message urgent = send(c, c.patient, conv, Priority.URGENT);

                c.clock.advance(DELAY.minusSeconds(1));
                assertThat(c.messaging.escalateDue()).as("not due yet").isZero();
                c.clock.advance(Duration.ofSeconds(1));
                assertThat(c.messaging.escalateDue()).isEqualTo(1);
                assertThat(c.messaging.escalateDue()).as("fires once").isZero();

                assertThat(c.events(ConversationEscalated.class))
                        .containsExactly(new ConversationEscalated(conv.id(), urgent.seq(), List.of(c.otherDoctor.id())));
                assertThat(c.events(MembersChanged.class)).singleElement()
                        .satisfies(e -> assertThat(e.userId()).isEqualTo(c.otherDoctor.id()));
                assertThat(audited(c, "conversation.escalated")).singleElement().satisfies(e -> {
                    assertThat(e.actorId()).isEqualTo(c.otherDoctor.id());
                    assertThat(e.patientId()).isEqualTo(c.patient.id());
                    assertThat(e.objectId()).isEqualTo(conv.id().value());
                    assertThat(e.reason()).isEqualTo("escalation");
                });
                assertThat(c.messaging.history(as(c.otherDoctor), conv.id(), null, null).messages())
                        .extracting(Message::seq).contains(urgent.seq());
                assertThat(c.messaging.escalatedSeqs(as(c.patient), conv.id())).containsExactly(urgent.seq());
            }
        }

        @Test
        @DisplayName("an on-call doctor who is a member already is told and not added again")
        void memberNotReAdded() {
            try (Clinic c = clinic()) {
                c.messaging.replaceOnCall(as(c.admin), List.of(c.doctor.id(), c.otherDoctor.id()));
                Conversation conv = c.doctorAndPatient();
                Message urgent = send(c, c.patient, conv, Priority.URGENT);
                c.clock.advance(DELAY);

                c.messaging.escalateDue();

                assertThat(c.events(ConversationEscalated.class)).singleElement()
                        .satisfies(e -> assertThat(e.doctorIds()).containsExactly(c.doctor.id(), c.otherDoctor.id()));
                assertThat(c.events(MembersChanged.class)).extracting(MembersChanged::userId)
                        .containsExactly(c.otherDoctor.id());
                assertThat(c.storage.conversations().members(conv.id())).hasSize(3);
                assertThat(c.storage.escalations().find(conv.id(), urgent.seq()).orElseThrow().outcome())
                        .isEqualTo(EscalationOutcome.ESCALATED);
            }
        }

        @Test
        @DisplayName("with nobody on call it is recorded once, and not tried again")
        void nobodyOnCall() {
            try (Clinic c = clinic()) {
                Conversation conv = c.doctorAndPatient();
                Message urgent = send(c, c.patient, conv, Priority.URGENT);
                c.clock.advance(DELAY);

                assertThat(c.messaging.escalateDue()).isEqualTo(1);
                assertThat(c.messaging.escalateDue()).isZero();

                assertThat(audited(c, "conversation.escalation_unanswered")).hasSize(1);
                assertThat(c.events(ConversationEscalated.class)).isEmpty();
                assertThat(c.storage.escalations().find(conv.id(), urgent.seq()).orElseThrow().outcome())
                        .isEqualTo(EscalationOutcome.NOBODY_ON_CALL);
            }
        }
    }

    @Nested
    @DisplayName("when it does not fire")
    class NotFiring {

        @Test
        @DisplayName("a doctor member who read the message in time stops it")
        void readInTime() {
            try (Clinic c = clinic()) {
                c.messaging.replaceOnCall(as(c.admin), List.of(c.otherDoctor.id()));
                Conversation conv = c.doctorAndPatient();
                Message urgent = send(c, c.patient, conv, Priority.URGENT);
                c.clock.advance(DELAY.minusSeconds(1));
                c.messaging.markRead(as(c.doctor), conv.id(), urgent.seq());
                c.clock.advance(Duration.ofSeconds(1));

                c.messaging.escalateDue();

                assertThat(c.events(ConversationEscalated.class)).isEmpty();
                assertThat(c.storage.conversations().member(conv.id(), c.otherDoctor.id())).isEmpty();
                assertThat(audited(c, "conversation.escalated")).isEmpty();
                assertThat(c.storage.escalations().find(conv.id(), urgent.seq()).orElseThrow().outcome())
                        .isEqualTo(EscalationOutcome.READ_IN_TIME);
            }
        }

        @Test
        @DisplayName("a doctor's urgent message and a patient's normal one are not scheduled at all")
        void doctorsAndNormalMessagesNotScheduled() {
            try (Clinic c = clinic()) {
                c.messaging.replaceOnCall(as(c.admin), List.of(c.otherDoctor.id()));
                Conversation conv = c.doctorAndPatient();
                Message doctors = send(c, c.doctor, conv, Priority.URGENT);
                Message normal = send(c, c.patient, conv, Priority.NORMAL);
                c.clock.advance(DELAY.multipliedBy(2));

                assertThat(c.messaging.escalateDue()).isZero();
                assertThat(c.storage.escalations().find(conv.id(), doctors.seq())).isEmpty();
                assertThat(c.storage.escalations().find(conv.id(), normal.seq())).isEmpty();
                assertThat(c.events(ConversationEscalated.class)).isEmpty();
            }
        }

        @Test
        @DisplayName("a facade without urgentEscalation schedules nothing")
        void offByDefault() {
            try (Clinic c = new Clinic()) {
                Conversation conv = c.doctorAndPatient();
                Message urgent = send(c, c.patient, conv, Priority.URGENT);
                assertThat(c.storage.escalations().find(conv.id(), urgent.seq())).isEmpty();
                assertThat(c.messaging.escalationDelay()).isEmpty();
            }
        }
    }

    @Nested
    @DisplayName("driven by stored state")
    class StoredState {

        @Test
        @DisplayName("a new facade on the same storage, as after a restart, escalates what the old one scheduled")
        void restartPicksUpDueRows() {
            try (Clinic c = clinic()) {
                c.messaging.replaceOnCall(as(c.admin), List.of(c.otherDoctor.id()));
                Conversation conv = c.doctorAndPatient();
                Message urgent = send(c, c.patient, conv, Priority.URGENT);
                c.messaging.close();
                c.clock.advance(DELAY);

                try (Messaging restarted = Messaging.builder().storage(c.storage).eventBus(c.bus).clock(c.clock)
                        .auditSink(c.audit).keyProvider(c.keys).urgentEscalation(DELAY, Duration.ofMinutes(10), timer)
                        .build()) {
                    assertThat(restarted.escalateDue()).isEqualTo(1);
                }
                assertThat(c.events(ConversationEscalated.class)).extracting(ConversationEscalated::seq)
                        .containsExactly(urgent.seq());
                assertThat(c.storage.conversations().member(conv.id(), c.otherDoctor.id())).isPresent();
            }
        }

        @Test
        @DisplayName("a claim whose handler died is taken over once its lease ends, and adds the doctor once")
        void deadClaimTakenOver() {
            try (Clinic c = clinic()) {
                c.messaging.replaceOnCall(as(c.admin), List.of(c.otherDoctor.id()));
                Conversation conv = c.doctorAndPatient();
                Message urgent = send(c, c.patient, conv, Priority.URGENT);
                c.clock.advance(DELAY);
                Instant now = c.clock.instant();
                assertThat(c.storage.escalations().claim(conv.id(), urgent.seq(), "dead-node", now,
                        now.plus(Duration.ofMinutes(1)))).isTrue();

                assertThat(c.messaging.escalateDue()).as("the lease holds").isZero();
                c.clock.advance(Duration.ofMinutes(1));
                assertThat(c.messaging.escalateDue()).isEqualTo(1);

                assertThat(c.events(MembersChanged.class)).hasSize(1);
                assertThat(c.storage.escalations().complete(conv.id(), urgent.seq(), "dead-node",
                        EscalationOutcome.ESCALATED, List.of(c.otherDoctor.id()), c.clock.instant()))
                        .as("the dead node's late completion writes nothing").isEmpty();
            }
        }
    }

    @Nested
    @DisplayName("the roster")
    class Roster {

        @Test
        @DisplayName("admins set and read it; others are forbidden and audited")
        void adminsOnly() {
            try (Clinic c = clinic()) {
                assertThat(c.messaging.replaceOnCall(as(c.admin), List.of(c.doctor.id(), c.otherDoctor.id())))
                        .containsExactly(c.doctor.id(), c.otherDoctor.id());
                assertThat(c.messaging.onCall(as(c.admin))).containsExactly(c.doctor.id(), c.otherDoctor.id());
                assertThat(audited(c, "on_call.update")).hasSize(1);

                assertThatThrownBy(() -> c.messaging.replaceOnCall(as(c.doctor), List.of(c.doctor.id())))
                        .isInstanceOf(ForbiddenException.class);
                assertThatThrownBy(() -> c.messaging.onCall(as(c.patient))).isInstanceOf(ForbiddenException.class);
                assertThat(audited(c, "on_call.update")).filteredOn(e -> e.outcome() == AuditEvent.Outcome.FAILURE)
                        .hasSize(1);
            }
        }

        @Test
        @DisplayName("patients, unknown users and repeats are bad requests, and the roster stays")
        void onlyDoctors() {
            try (Clinic c = clinic()) {
                c.messaging.replaceOnCall(as(c.admin), List.of(c.doctor.id()));
                assertThatThrownBy(() -> c.messaging.replaceOnCall(as(c.admin), List.of(c.patient.id())))
                        .isInstanceOf(BadRequestException.class);
                assertThatThrownBy(() -> c.messaging.replaceOnCall(as(c.admin), List.of(UserId.random())))
                        .isInstanceOf(BadRequestException.class);
                assertThatThrownBy(() -> c.messaging.replaceOnCall(as(c.admin), List.of(c.doctor.id(), c.doctor.id())))
                        .isInstanceOf(BadRequestException.class);
                assertThat(c.messaging.onCall(as(c.admin))).containsExactly(c.doctor.id());
            }
        }

        @Test
        @DisplayName("a delay under a second or a scan interval over ten minutes is a configuration error")
        void settingsValidated() {
            assertThatThrownBy(() -> new Clinic(b -> b.urgentEscalation(Duration.ofMillis(500), Duration.ofMinutes(11),
                    timer))).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("delay").hasMessageContaining("scan interval");
        }
    }
}
