package io.carechat.messaging;

import static io.carechat.messaging.Clinic.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.error.BadRequestException;
import io.carechat.messaging.error.ConflictException;
import io.carechat.messaging.error.ForbiddenException;
import io.carechat.messaging.error.NotFoundException;
import io.carechat.messaging.event.MembersChanged;
import io.carechat.messaging.event.MessageCommitted;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.ConversationKind;
import io.carechat.messaging.model.ConversationMember;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.SendRequest;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AuditEvent;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Care teams through the facade: who may create, add and remove, and what a member sees. */
@DisplayName("Care teams")
class CareTeamsTest {

    private static Message send(Clinic clinic, User sender, Conversation c, String key) {
        return clinic.messaging.send(as(sender), SendRequest.text(c.id(), key, "text " + key));
    }

    private static Conversation team(Clinic clinic) {
        return clinic.messaging.createGroup(as(clinic.doctor), "Cardiology team",
                List.of(clinic.patient.id(), clinic.otherDoctor.id()));
    }

    private static List<AuditEvent> audited(Clinic clinic, String action) {
        return clinic.audit.events().stream().filter(e -> e.action().equals(action)).toList();
    }

    @Nested
    @DisplayName("creating")
    class Creating {

        @Test
        @DisplayName("a doctor creates a group with a patient and a doctor: kind, title, creator first, all joined at 0")
        void doctorCreates() {
            try (Clinic clinic = new Clinic()) {
                Conversation team = team(clinic);
                assertThat(team.kind()).isEqualTo(ConversationKind.GROUP);
                assertThat(team.title()).isEqualTo("Cardiology team");
                assertThat(team.memberIds())
                        .containsExactly(clinic.doctor.id(), clinic.patient.id(), clinic.otherDoctor.id());
                assertThat(clinic.messaging.members(as(clinic.patient), team.id()))
                        .extracting(ConversationMember::joinedSeq).containsOnly(0L);
                assertThat(audited(clinic, "conversation.create")).singleElement()
                        .satisfies(e -> assertThat(e.objectId()).isEqualTo(team.id().value()))
                        .satisfies(e -> assertThat(e.patientId()).isEqualTo(clinic.patient.id()));
                assertThat(audited(clinic, "conversation.member.add")).extracting(AuditEvent::objectId)
                        .containsExactly(team.id().value() + "/" + clinic.patient.id().value(),
                                team.id().value() + "/" + clinic.otherDoctor.id().value());
            }
        }

        @Test
        @DisplayName("a patient may not create a group, and the refusal is audited")
        void patientRefused() {
            try (Clinic clinic = new Clinic()) {
                assertThatThrownBy(() -> clinic.messaging.createGroup(as(clinic.patient), "Mine",
                        List.of(clinic.doctor.id(), clinic.otherDoctor.id())))
                        .isInstanceOf(ForbiddenException.class);
                assertThat(audited(clinic, "conversation.create")).singleElement()
                        .satisfies(e -> assertThat(e.outcome()).isEqualTo(AuditEvent.Outcome.FAILURE));
                assertThat(clinic.storage.conversations().listFor(clinic.patient.id(), 10)).isEmpty();
            }
        }

        @Test
        @DisplayName("a doctor may not put a user the policy does not let them message (an admin) in a group")
        void policyDecidesMembers() {
            try (Clinic clinic = new Clinic()) {
                assertThatThrownBy(() -> clinic.messaging.createGroup(as(clinic.doctor), "Team",
                        List.of(clinic.patient.id(), clinic.admin.id())))
                        .isInstanceOf(ForbiddenException.class);
                assertThat(clinic.storage.conversations().listFor(clinic.doctor.id(), 10)).isEmpty();
            }
        }

        @Test
        @DisplayName("a blank or too long title, too few or too many members, repeats and the caller are bad requests")
        void badInput() {
            try (Clinic clinic = new Clinic(b -> b.limits(
                    io.carechat.messaging.model.MessagingLimits.builder().maxGroupMembers(3).build()))) {
                List<UserId> two = List.of(clinic.patient.id(), clinic.otherDoctor.id());
                User third = clinic.user("third", "Third", Role.PATIENT);
                User fourth = clinic.user("fourth", "Fourth", Role.PATIENT);
                assertThatThrownBy(() -> clinic.messaging.createGroup(as(clinic.doctor), "  ", two))
                        .isInstanceOf(BadRequestException.class);
                assertThatThrownBy(() -> clinic.messaging.createGroup(as(clinic.doctor), "x".repeat(101), two))
                        .isInstanceOf(BadRequestException.class);
                assertThatThrownBy(() -> clinic.messaging.createGroup(as(clinic.doctor), "T",
                        List.of(clinic.patient.id()))).isInstanceOf(BadRequestException.class);
                assertThatThrownBy(() -> clinic.messaging.createGroup(as(clinic.doctor), "T",
                        List.of(clinic.patient.id(), clinic.otherDoctor.id(), third.id(), fourth.id())))
                        .isInstanceOf(BadRequestException.class).hasMessageContaining("3");
                assertThatThrownBy(() -> clinic.messaging.createGroup(as(clinic.doctor), "T",
                        List.of(clinic.patient.id(), clinic.patient.id()))).isInstanceOf(BadRequestException.class);
                assertThatThrownBy(() -> clinic.messaging.createGroup(as(clinic.doctor), "T",
                        List.of(clinic.patient.id(), clinic.doctor.id()))).isInstanceOf(BadRequestException.class);
                assertThat(clinic.messaging.createGroup(as(clinic.doctor), "x".repeat(100),
                        List.of(clinic.patient.id(), clinic.otherDoctor.id(), third.id())).memberIds()).hasSize(4);
            }
        }
    }

    @Nested
    @DisplayName("adding")
    class Adding {

        @Test
        @DisplayName("a member added sees only what came after joining: history, backlog and unread start at joinedSeq")
        void joinedSeqVisibility() {
            try (Clinic clinic = new Clinic()) {
                Conversation team = team(clinic);
                send(clinic, clinic.doctor, team, "a");
                send(clinic, clinic.patient, team, "b");
                send(clinic, clinic.doctor, team, "c");

                List<ConversationMember> members =
                        clinic.messaging.addMember(as(clinic.doctor), team.id(), clinic.otherPatient.id());

                assertThat(members).filteredOn(m -> m.id().equals(clinic.otherPatient.id()))
                        .singleElement().extracting(ConversationMember::joinedSeq).isEqualTo(3L);
                assertThat(clinic.messaging.history(as(clinic.otherPatient), team.id(), null, null).messages())
                        .isEmpty();
                assertThat(clinic.messaging.unread(as(clinic.otherPatient)).total()).isZero();
                send(clinic, clinic.doctor, team, "d");
                send(clinic, clinic.patient, team, "e");
                assertThat(clinic.messaging.history(as(clinic.otherPatient), team.id(), null, null).messages())
                        .extracting(Message::seq).containsExactly(4L, 5L);
                assertThat(clinic.messaging.history(as(clinic.otherPatient), team.id(), 5L, 1))
                        .satisfies(p -> assertThat(p.messages()).extracting(Message::seq).containsExactly(4L))
                        .satisfies(p -> assertThat(p.hasMore()).isFalse());
                assertThat(clinic.messaging.history(as(clinic.otherPatient), team.id(), 4L, null).messages())
                        .isEmpty();
                assertThat(clinic.messaging.backlog(as(clinic.otherPatient), team.id()))
                        .extracting(Message::seq).containsExactly(4L, 5L);
                assertThat(clinic.messaging.unread(as(clinic.otherPatient)).of(team.id())).isEqualTo(2);
                assertThat(clinic.messaging.history(as(clinic.patient), team.id(), null, null).messages())
                        .hasSize(5);
            }
        }

        @Test
        @DisplayName("an addition is audited, published with the members, and the next message reaches the new member")
        void additionIsPublished() {
            try (Clinic clinic = new Clinic()) {
                Conversation team = team(clinic);
                send(clinic, clinic.doctor, team, "warm-up");
                clinic.messaging.addMember(as(clinic.otherDoctor), team.id(), clinic.otherPatient.id());

                assertThat(clinic.events(MembersChanged.class)).singleElement().satisfies(e -> {
                    assertThat(e.change()).isEqualTo(MembersChanged.Change.ADDED);
                    assertThat(e.userId()).isEqualTo(clinic.otherPatient.id());
                    assertThat(e.memberIds()).containsExactly(clinic.doctor.id(), clinic.patient.id(),
                            clinic.otherDoctor.id(), clinic.otherPatient.id());
                });
                assertThat(audited(clinic, "conversation.member.add")).last()
                        .satisfies(e -> assertThat(e.actorId()).isEqualTo(clinic.otherDoctor.id()))
                        .satisfies(e -> assertThat(e.objectId())
                                .isEqualTo(team.id().value() + "/" + clinic.otherPatient.id().value()));
                send(clinic, clinic.doctor, team, "after");
                assertThat(clinic.events(MessageCommitted.class)).last()
                        .satisfies(e -> assertThat(e.memberIds()).contains(clinic.otherPatient.id()));
            }
        }

        @Test
        @DisplayName("a patient member may not add; a non-member gets not found; a member again is a conflict")
        void addRefusals() {
            try (Clinic clinic = new Clinic()) {
                Conversation team = team(clinic);
                assertThatThrownBy(() -> clinic.messaging.addMember(as(clinic.patient), team.id(),
                        clinic.otherPatient.id())).isInstanceOf(ForbiddenException.class);
                User outsider = clinic.user("outsider", "Dr Out", Role.DOCTOR);
                assertThatThrownBy(() -> clinic.messaging.addMember(as(outsider), team.id(), outsider.id()))
                        .isInstanceOf(NotFoundException.class);
                assertThatThrownBy(() -> clinic.messaging.addMember(as(clinic.doctor), team.id(),
                        clinic.patient.id())).isInstanceOf(ConflictException.class);
                assertThatThrownBy(() -> clinic.messaging.addMember(as(clinic.doctor), team.id(),
                        clinic.admin.id())).isInstanceOf(ForbiddenException.class);
                Conversation direct = clinic.doctorAndPatient();
                assertThatThrownBy(() -> clinic.messaging.addMember(as(clinic.doctor), direct.id(),
                        clinic.otherDoctor.id())).isInstanceOf(BadRequestException.class);
                assertThat(clinic.events(MembersChanged.class)).isEmpty();
            }
        }

        @Test
        @DisplayName("a full group refuses another member with a conflict naming the limit")
        void limitEnforced() {
            try (Clinic clinic = new Clinic(b -> b.limits(
                    io.carechat.messaging.model.MessagingLimits.builder().maxGroupMembers(2).build()))) {
                Conversation team = team(clinic);
                assertThatThrownBy(() -> clinic.messaging.addMember(as(clinic.doctor), team.id(),
                        clinic.otherPatient.id())).isInstanceOf(ConflictException.class).hasMessageContaining("2");
            }
        }
    }

    @Nested
    @DisplayName("removing")
    class Removing {

        @Test
        @DisplayName("a removed member is refused at once: history, send, read and the list; later messages skip them")
        void removedMemberRefused() {
            try (Clinic clinic = new Clinic()) {
                Conversation team = team(clinic);
                send(clinic, clinic.patient, team, "before");

                List<ConversationMember> left =
                        clinic.messaging.removeMember(as(clinic.doctor), team.id(), clinic.patient.id());

                assertThat(left).extracting(ConversationMember::id)
                        .containsExactly(clinic.doctor.id(), clinic.otherDoctor.id());
                assertThatThrownBy(() -> clinic.messaging.history(as(clinic.patient), team.id(), null, null))
                        .isInstanceOf(NotFoundException.class);
                assertThatThrownBy(() -> send(clinic, clinic.patient, team, "after"))
                        .isInstanceOf(NotFoundException.class);
                assertThatThrownBy(() -> clinic.messaging.markRead(as(clinic.patient), team.id(), 1))
                        .isInstanceOf(NotFoundException.class);
                assertThat(clinic.messaging.conversations(as(clinic.patient))).isEmpty();
                send(clinic, clinic.doctor, team, "later");
                assertThat(clinic.events(MessageCommitted.class)).last()
                        .satisfies(e -> assertThat(e.memberIds()).doesNotContain(clinic.patient.id()));
                assertThat(clinic.events(MembersChanged.class)).singleElement()
                        .satisfies(e -> assertThat(e.audience()).contains(clinic.patient.id()));
                assertThat(audited(clinic, "conversation.member.remove")).singleElement()
                        .satisfies(e -> assertThat(e.patientId()).isEqualTo(clinic.patient.id()));
                assertThat(clinic.storage.conversations().membershipHistory(team.id()))
                        .filteredOn(p -> p.userId().equals(clinic.patient.id()))
                        .singleElement().satisfies(p -> assertThat(p.leftSeq()).isEqualTo(1L));
            }
        }

        @Test
        @DisplayName("a patient member may not remove; the last doctor stays; a non-member's removal is not found")
        void removeRefusals() {
            try (Clinic clinic = new Clinic()) {
                Conversation team = team(clinic);
                assertThatThrownBy(() -> clinic.messaging.removeMember(as(clinic.patient), team.id(),
                        clinic.otherDoctor.id())).isInstanceOf(ForbiddenException.class);
                clinic.messaging.removeMember(as(clinic.doctor), team.id(), clinic.otherDoctor.id());
                assertThatThrownBy(() -> clinic.messaging.removeMember(as(clinic.doctor), team.id(),
                        clinic.doctor.id())).isInstanceOf(ConflictException.class);
                assertThatThrownBy(() -> clinic.messaging.removeMember(as(clinic.doctor), team.id(),
                        clinic.otherPatient.id())).isInstanceOf(NotFoundException.class);
                assertThatThrownBy(() -> clinic.messaging.removeMember(as(clinic.otherDoctor), team.id(),
                        clinic.patient.id())).isInstanceOf(NotFoundException.class);
            }
        }

        @Test
        @DisplayName("another node sharing the bus forgets the group's remembered members, so its sends skip the removed member")
        void otherNodeForgetsRememberedMembers() {
            try (Clinic clinic = new Clinic();
                    Messaging otherNode = Messaging.builder().storage(clinic.storage).eventBus(clinic.bus)
                            .clock(clinic.clock).auditSink(clinic.audit).keyProvider(clinic.keys).build()) {
                Conversation team = team(clinic);
                otherNode.send(as(clinic.otherDoctor), SendRequest.text(team.id(), "n1", "remembered"));

                clinic.messaging.removeMember(as(clinic.doctor), team.id(), clinic.patient.id());
                otherNode.send(as(clinic.otherDoctor), SendRequest.text(team.id(), "n2", "after removal"));

                assertThat(clinic.events(MessageCommitted.class)).last()
                        .satisfies(e -> assertThat(e.memberIds()).doesNotContain(clinic.patient.id()));
            }
        }
    }
}
