package io.carechat.messaging;

import static io.carechat.messaging.Clinic.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.carechat.messaging.error.BadRequestException;
import io.carechat.messaging.error.ConfigurationException;
import io.carechat.messaging.error.ConflictException;
import io.carechat.messaging.error.ForbiddenException;
import io.carechat.messaging.error.NotFoundException;
import io.carechat.messaging.event.BreakGlassGranted;
import io.carechat.messaging.event.MessageCommitted;
import io.carechat.messaging.memory.InMemoryAttachmentStore;
import io.carechat.messaging.model.AttachmentRef;
import io.carechat.messaging.model.BreakGlassAccess;
import io.carechat.messaging.model.BreakGlassGrant;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.ConversationMember;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.model.SendRequest;
import io.carechat.messaging.model.User;
import io.carechat.messaging.spi.AccessPolicy;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.UserStore;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Break-glass access")
class BreakGlassTest {
    private static final String REASON = "Patient unconscious in the emergency room";

    @Nested
    @DisplayName("who may break the glass")
    class Policy {

        @Test
        @DisplayName("the default policy lets enabled doctors, and no patient, admin or disabled doctor")
        void defaultPolicy() {
            try (Clinic c = new Clinic()) {
                AccessPolicy policy = DefaultAccessPolicy.INSTANCE;
                assertThat(policy.mayBreakGlass(c.doctor)).isTrue();
                assertThat(policy.mayBreakGlass(c.patient)).isFalse();
                assertThat(policy.mayBreakGlass(c.admin)).isFalse();
                assertThat(policy.mayBreakGlass(disabled(c.otherDoctor))).isFalse();
            }
        }

        @Test
        @DisplayName("a policy that does not say grants break-glass to no one")
        void silentPolicyGrantsNoOne() {
            try (Clinic c = new Clinic()) {
                assertThat(new SilentPolicy().mayBreakGlass(c.doctor)).isFalse();
            }
        }

        @Test
        @DisplayName("patients and admins are forbidden, and nothing is granted")
        void patientsAndAdminsForbidden() {
            try (Clinic c = new Clinic()) {
                Conversation conv = c.doctorAndPatient();
                assertThatThrownBy(() -> c.messaging.breakGlass(as(c.otherPatient), conv.id(), REASON))
                        .isInstanceOf(ForbiddenException.class);
                assertThatThrownBy(() -> c.messaging.breakGlass(as(c.admin), conv.id(), REASON))
                        .isInstanceOf(ForbiddenException.class);
                assertThat(c.storage.breakGlass().allActive(c.clock.instant(), 10)).isEmpty();
                assertThat(c.events(BreakGlassGranted.class)).isEmpty();
                assertThat(c.audit.events()).anySatisfy(e -> {
                    assertThat(e.action()).isEqualTo("conversation.break_glass");
                    assertThat(e.outcome()).isEqualTo(AuditEvent.Outcome.FAILURE);
                });
            }
        }

        @Test
        @DisplayName("a member gets a conflict, a short reason a bad request, an unknown conversation not found")
        void badRequests() {
            try (Clinic c = new Clinic()) {
                Conversation conv = c.doctorAndPatient();
                assertThatThrownBy(() -> c.messaging.breakGlass(as(c.doctor), conv.id(), REASON))
                        .isInstanceOf(ConflictException.class);
                assertThatThrownBy(() -> c.messaging.breakGlass(as(c.otherDoctor), conv.id(), "  urgent   "))
                        .isInstanceOf(BadRequestException.class).hasMessageContaining("10");
                assertThatThrownBy(() -> c.messaging.breakGlass(as(c.otherDoctor), conv.id(), "x".repeat(1001)))
                        .isInstanceOf(BadRequestException.class);
                assertThatThrownBy(() -> c.messaging.breakGlass(as(c.otherDoctor), ConversationId.random(), REASON))
                        .isInstanceOf(NotFoundException.class);
                assertThat(c.storage.breakGlass().allActive(c.clock.instant(), 10)).isEmpty();
            }
        }
    }

    @Nested
    @DisplayName("while the grant lasts and after")
    class Expiry {

        @Test
        @DisplayName("without a grant a non-member gets not found on history and send")
        void withoutGrantNotFound() {
            try (Clinic c = new Clinic()) {
                Conversation conv = c.doctorAndPatient();
                assertThatThrownBy(() -> c.messaging.history(as(c.otherDoctor), conv.id(), null, null))
                        .isInstanceOf(NotFoundException.class);
                assertThatThrownBy(() -> c.messaging.send(as(c.otherDoctor), SendRequest.text(conv.id(), "k", "hi")))
                        .isInstanceOf(NotFoundException.class);
            }
        }

        @Test
        @DisplayName("the doctor reads and replies for the configured time, then gets not found again")
        void readAndReplyUntilExpiry() {
            try (Clinic c = new Clinic(b -> b.breakGlassDuration(Duration.ofMinutes(5)))) {
                Conversation conv = c.doctorAndPatient();
                c.messaging.send(as(c.patient), SendRequest.text(conv.id(), "p1", "I feel dizzy"));

                BreakGlassAccess access = c.messaging.breakGlass(as(c.otherDoctor), conv.id(), REASON);
                assertThat(access.grant().expiresAt()).isEqualTo(Clinic.START.plus(Duration.ofMinutes(5)));
                assertThat(access.members()).extracting(ConversationMember::id)
                        .containsExactly(c.doctor.id(), c.patient.id());

                c.clock.advance(Duration.ofMinutes(4));
                assertThat(c.messaging.history(as(c.otherDoctor), conv.id(), null, null).messages())
                        .extracting(Message::body).containsExactly("I feel dizzy");
                Message reply = c.messaging.send(as(c.otherDoctor), SendRequest.text(conv.id(), "d1", "On my way"));
                assertThat(reply.seq()).isEqualTo(2);
                assertThat(c.events(MessageCommitted.class)).last()
                        .satisfies(e -> assertThat(e.memberIds()).containsExactly(c.doctor.id(), c.patient.id()));
                assertThat(c.messaging.breakGlassHolders(conv.id())).containsExactly(c.otherDoctor.id());
                assertThat(c.storage.conversations().member(conv.id(), c.otherDoctor.id())).isEmpty();

                c.clock.advance(Duration.ofMinutes(1));
                assertThat(c.messaging.breakGlassHolders(conv.id())).isEmpty();
                assertThat(c.messaging.activeBreakGlass(as(c.otherDoctor), conv.id())).isEmpty();
                assertThatThrownBy(() -> c.messaging.history(as(c.otherDoctor), conv.id(), null, null))
                        .isInstanceOf(NotFoundException.class);
                assertThatThrownBy(() -> c.messaging.send(as(c.otherDoctor), SendRequest.text(conv.id(), "d2", "hi")))
                        .isInstanceOf(NotFoundException.class);
            }
        }

        @Test
        @DisplayName("attachments of the conversation download under the grant, recorded as break_glass, and not after")
        void attachmentsUnderGrant() {
            try (Clinic c = new Clinic(b -> b.attachmentStore(new InMemoryAttachmentStore()))) {
                Conversation conv = c.doctorAndPatient();
                AttachmentRef scan = c.messaging.uploadAttachment(as(c.patient), "scan.png", "image/png",
                        new ByteArrayInputStream(AttachmentsTest.png()));
                c.messaging.send(as(c.patient), new SendRequest(conv.id(), "p1", "my scan", Priority.NORMAL,
                        List.of(scan.id())));
                assertThatThrownBy(() -> c.messaging.downloadAttachment(as(c.otherDoctor), scan.id()))
                        .isInstanceOf(NotFoundException.class);

                c.messaging.breakGlass(as(c.otherDoctor), conv.id(), REASON);
                assertThat(c.messaging.downloadAttachment(as(c.otherDoctor), scan.id()).content())
                        .isEqualTo(AttachmentsTest.png());
                assertThat(c.audit.events()).filteredOn(e -> e.action().equals("attachment.download"))
                        .singleElement().satisfies(e -> {
                            assertThat(e.reason()).isEqualTo("break_glass");
                            assertThat(e.patientId()).isEqualTo(c.patient.id());
                        });

                c.clock.advance(c.messaging.breakGlassDuration());
                assertThatThrownBy(() -> c.messaging.downloadAttachment(as(c.otherDoctor), scan.id()))
                        .isInstanceOf(NotFoundException.class);
            }
        }

        @Test
        @DisplayName("receipts stay with members: a grant holder's read receipt is not found")
        void receiptsStayWithMembers() {
            try (Clinic c = new Clinic()) {
                Conversation conv = c.doctorAndPatient();
                c.messaging.breakGlass(as(c.otherDoctor), conv.id(), REASON);
                assertThatThrownBy(() -> c.messaging.markRead(as(c.otherDoctor), conv.id(), 0))
                        .isInstanceOf(NotFoundException.class);
            }
        }

        @Test
        @DisplayName("the duration is configurable from 1 second to 24 hours, 60 minutes by default")
        void durationSetting() {
            try (Clinic c = new Clinic()) {
                assertThat(c.messaging.breakGlassDuration()).isEqualTo(Duration.ofMinutes(60));
            }
            try (Clinic c = new Clinic(b -> b.breakGlassDuration(Duration.ofSeconds(1)))) {
                assertThat(c.messaging.breakGlassDuration()).isEqualTo(Duration.ofSeconds(1));
            }
            assertThatThrownBy(() -> new Clinic(b -> b.breakGlassDuration(Duration.ZERO)))
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining("breakGlassDuration");
            assertThatThrownBy(() -> new Clinic(b -> b.breakGlassDuration(Duration.ofHours(25))))
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining("breakGlassDuration");
        }
    }

    @Nested
    @DisplayName("accountability")
    class Accountability {

        @Test
        @DisplayName("the grant is audited with the patient before it is stored, and reads under it carry break_glass")
        void audited() {
            try (Clinic c = new Clinic()) {
                Conversation conv = c.doctorAndPatient();
                c.messaging.breakGlass(as(c.otherDoctor), conv.id(), REASON);
                c.messaging.history(as(c.otherDoctor), conv.id(), null, null);

                assertThat(c.audit.events()).filteredOn(e -> c.otherDoctor.id().equals(e.actorId()))
                        .extracting(AuditEvent::action, AuditEvent::reason, AuditEvent::patientId)
                        .containsExactly(
                                tuple("conversation.break_glass", "break_glass",
                                        c.patient.id()),
                                tuple("message.read", "break_glass", c.patient.id()));
            }
        }

        @Test
        @DisplayName("the reason is stored sealed, given back opened to its doctor, and never on the bus")
        void reasonSealed() {
            try (Clinic c = new Clinic()) {
                Conversation conv = c.doctorAndPatient();
                c.messaging.breakGlass(as(c.otherDoctor), conv.id(), REASON);

                BreakGlassGrant stored = c.storage.breakGlass().allActive(c.clock.instant(), 10).get(0);
                assertThat(stored.reason()).startsWith("/sealed/").doesNotContain("unconscious");
                assertThat(c.messaging.activeBreakGlass(as(c.otherDoctor), conv.id()))
                        .hasValueSatisfying(a -> assertThat(a.grant().reason()).isEqualTo(REASON));
                assertThat(c.events(BreakGlassGranted.class)).singleElement()
                        .satisfies(e -> assertThat(e.toString()).doesNotContain("unconscious"));
            }
        }
    }

    @Test
    @DisplayName("an admin reviews a grant with its reason, audited; others are forbidden, an unknown grant is not found")
    void adminReview() {
        try (Clinic c = new Clinic()) {
            Conversation conv = c.doctorAndPatient();
            BreakGlassGrant grant = c.messaging.breakGlass(as(c.otherDoctor), conv.id(), REASON).grant();
            c.clock.advance(c.messaging.breakGlassDuration());

            BreakGlassGrant reviewed = c.messaging.reviewBreakGlass(as(c.admin), grant.id());
            assertThat(reviewed.reason()).isEqualTo(REASON);
            assertThat(reviewed.doctorId()).isEqualTo(c.otherDoctor.id());
            assertThat(c.audit.events()).anySatisfy(e -> {
                assertThat(e.action()).isEqualTo("break_glass.review");
                assertThat(e.outcome()).isEqualTo(AuditEvent.Outcome.SUCCESS);
                assertThat(e.patientId()).isEqualTo(c.patient.id());
            });
            assertThatThrownBy(() -> c.messaging.reviewBreakGlass(as(c.doctor), grant.id()))
                    .isInstanceOf(ForbiddenException.class);
            assertThatThrownBy(() -> c.messaging.reviewBreakGlass(as(c.patient), grant.id()))
                    .isInstanceOf(ForbiddenException.class);
            assertThatThrownBy(() -> c.messaging.reviewBreakGlass(as(c.admin), "no-such-grant"))
                    .isInstanceOf(NotFoundException.class);
        }
    }

    private static User disabled(User user) {
        return new User(user.id(), user.username(), user.email(), user.displayName(), user.roles(), false,
                user.createdAt());
    }

    /** A policy written before break-glass existed. */
    private static final class SilentPolicy implements AccessPolicy {
        @Override
        public boolean mayMessage(User from, User to) {
            return true;
        }

        @Override
        public List<User> contacts(User caller, UserStore users, int limit) {
            return List.of();
        }
    }
}
