package io.carechat.messaging;

import static io.carechat.messaging.Clinic.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.error.BadRequestException;
import io.carechat.messaging.error.ConflictException;
import io.carechat.messaging.error.ForbiddenException;
import io.carechat.messaging.error.NotFoundException;
import io.carechat.messaging.event.MessageCommitted;
import io.carechat.messaging.event.MessagingEvent;
import io.carechat.messaging.event.PresenceChanged;
import io.carechat.messaging.event.ReceiptAdvanced;
import io.carechat.messaging.event.TypingStarted;
import io.carechat.messaging.model.AttachmentId;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.Contact;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.ConversationMember;
import io.carechat.messaging.model.ConversationOverview;
import io.carechat.messaging.model.HistoryPage;
import io.carechat.messaging.model.MemberState;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.MessagingLimits;
import io.carechat.messaging.model.Presence;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.model.Receipt;
import io.carechat.messaging.model.ReceiptKind;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.SendRequest;
import io.carechat.messaging.model.UnreadCounts;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AccessPolicy;
import io.carechat.messaging.spi.UserStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("Messaging facade")
class MessagingFacadeTest {
    private final List<Clinic> clinics = new ArrayList<>();

    private Clinic clinic() {
        return clinic(UnaryOperator.identity());
    }

    private Clinic clinic(UnaryOperator<Messaging.Builder> configure) {
        Clinic clinic = new Clinic(configure);
        clinics.add(clinic);
        return clinic;
    }

    private static UnaryOperator<Messaging.Builder> limits(MessagingLimits.Builder limits) {
        return b -> b.limits(limits.build());
    }

    @AfterEach
    void closeClinics() {
        clinics.forEach(Clinic::close);
    }

    @Nested
    @DisplayName("opening a direct conversation")
    class OpenDirect {

        @Test
        @DisplayName("opening again, from either side, returns the same conversation")
        void sameConversationFromEitherSide() {
            Clinic c = clinic();
            Conversation first = c.messaging.openDirect(as(c.doctor), c.patient.id());
            assertThat(c.messaging.openDirect(as(c.patient), c.doctor.id())).isEqualTo(first);
            assertThat(first.createdAt()).isEqualTo(Clinic.START);
        }

        @Test
        @DisplayName("opening a conversation with oneself is a bad request")
        void notWithOneself() {
            Clinic c = clinic();
            assertThatThrownBy(() -> c.messaging.openDirect(as(c.doctor), c.doctor.id()))
                    .isInstanceOf(BadRequestException.class)
                    .hasMessage("cannot open a conversation with oneself");
        }

        @Test
        @DisplayName("an unknown or disabled user is not found")
        void unknownOrDisabledIsNotFound() {
            Clinic c = clinic();
            assertThatThrownBy(() -> c.messaging.openDirect(as(c.doctor), UserId.random()))
                    .isInstanceOf(NotFoundException.class).hasMessage("user not found");
            c.storage.users().setEnabled(c.patient.id(), false);
            assertThatThrownBy(() -> c.messaging.openDirect(as(c.doctor), c.patient.id()))
                    .isInstanceOf(NotFoundException.class).hasMessage("user not found");
        }

        @Test
        @DisplayName("the policy judges the roles in the store, not the roles a token claims")
        void storedRolesNotTokenRoles() {
            Clinic c = clinic();
            Caller patientClaimingDoctor = Caller.of(c.patient.id(), Set.of(Role.DOCTOR));
            assertThatThrownBy(() -> c.messaging.openDirect(patientClaimingDoctor, c.otherPatient.id()))
                    .isInstanceOf(ForbiddenException.class);
            Caller doctorWithStaleToken = Caller.of(c.doctor.id(), Set.of(Role.PATIENT));
            assertThat(c.messaging.openDirect(doctorWithStaleToken, c.otherPatient.id())).isNotNull();
        }

        @Test
        @DisplayName("a caller whose own account was disabled may not open conversations")
        void disabledCallerIsForbidden() {
            Clinic c = clinic();
            c.storage.users().setEnabled(c.doctor.id(), false);
            assertThatThrownBy(() -> c.messaging.openDirect(as(c.doctor), c.patient.id()))
                    .isInstanceOf(ForbiddenException.class);
        }
    }

    @Nested
    @DisplayName("sending")
    class Sending {

        @Test
        @DisplayName("a message is stored with the next seq, the sender and the clock's time")
        void storedWithSeqAndTime() {
            Clinic c = clinic();
            Conversation conv = c.doctorAndPatient();
            Message first = c.messaging.send(as(c.doctor), SendRequest.text(conv.id(), "k1", "Hello"));
            c.clock.advance(Duration.ofMinutes(3));
            Message second = c.messaging.send(as(c.patient),
                    SendRequest.text(conv.id(), "k1", "Hi doctor").withPriority(Priority.URGENT));
            assertThat(first.seq()).isEqualTo(1);
            assertThat(first.sentAt()).isEqualTo(Clinic.START);
            assertThat(second.seq()).isEqualTo(2);
            assertThat(second.senderId()).isEqualTo(c.patient.id());
            assertThat(second.priority()).isEqualTo(Priority.URGENT);
            assertThat(second.sentAt()).isEqualTo(Clinic.START.plus(Duration.ofMinutes(3)));
        }

        @Test
        @DisplayName("a repeated clientMsgId with the same content returns the original and publishes nothing new")
        void repeatReturnsOriginal() {
            Clinic c = clinic();
            Conversation conv = c.doctorAndPatient();
            SendRequest request = SendRequest.text(conv.id(), "k1", "Hello");
            Message original = c.messaging.send(as(c.doctor), request);
            c.clock.advance(Duration.ofSeconds(30));
            assertThat(c.messaging.send(as(c.doctor), request)).isEqualTo(original);
            assertThat(c.events(MessageCommitted.class)).hasSize(1);
            assertThat(c.messaging.history(as(c.doctor), conv.id(), null, null).messages()).hasSize(1);
        }

        static Stream<Arguments> conflictingRepeats() {
            return Stream.of(
                    Arguments.of("another body", (UnaryOperator<SendRequest>) r ->
                            new SendRequest(r.conversationId(), r.clientMsgId(), "Other text", r.priority(), r.attachments())),
                    Arguments.of("another priority", (UnaryOperator<SendRequest>) r -> r.withPriority(Priority.URGENT)));
        }

        @ParameterizedTest(name = "the same clientMsgId with {0} is a conflict")
        @MethodSource("conflictingRepeats")
        @DisplayName("reusing a clientMsgId for other content is a conflict")
        void reuseForOtherContentConflicts(String what, UnaryOperator<SendRequest> change) {
            Clinic c = clinic();
            Conversation conv = c.doctorAndPatient();
            SendRequest request = SendRequest.text(conv.id(), "k1", "Hello");
            c.messaging.send(as(c.doctor), request);
            assertThatThrownBy(() -> c.messaging.send(as(c.doctor), change.apply(request)))
                    .isInstanceOf(ConflictException.class)
                    .hasMessage("clientMsgId was already used for another message");
            assertThat(c.events(MessageCommitted.class)).hasSize(1);
        }

        @Test
        @DisplayName("the same clientMsgId in another conversation is a conflict")
        void reuseInAnotherConversationConflicts() {
            Clinic c = clinic();
            Conversation conv = c.doctorAndPatient();
            Conversation other = c.messaging.openDirect(as(c.doctor), c.otherPatient.id());
            c.messaging.send(as(c.doctor), SendRequest.text(conv.id(), "k1", "Hello"));
            assertThatThrownBy(() -> c.messaging.send(as(c.doctor), SendRequest.text(other.id(), "k1", "Hello")))
                    .isInstanceOf(ConflictException.class);
            assertThat(c.messaging.history(as(c.doctor), other.id(), null, null).messages()).isEmpty();
        }

        static Stream<Arguments> invalidRequests() {
            ConversationId id = ConversationId.of("placeholder");
            AttachmentId a1 = AttachmentId.of("a1");
            AttachmentId a2 = AttachmentId.of("a2");
            AttachmentId a3 = AttachmentId.of("a3");
            return Stream.of(
                    Arguments.of("an empty clientMsgId", SendRequest.text(id, "", "hi"),
                            "clientMsgId must be 1 to 8 characters"),
                    Arguments.of("a clientMsgId over the limit", SendRequest.text(id, "123456789", "hi"),
                            "clientMsgId must be 1 to 8 characters"),
                    Arguments.of("a clientMsgId with a control character", SendRequest.text(id, "k\u00071", "hi"),
                            "clientMsgId must contain only printable characters"),
                    Arguments.of("a clientMsgId with a line break", SendRequest.text(id, "k\n1", "hi"),
                            "clientMsgId must contain only printable characters"),
                    Arguments.of("a body over the limit", SendRequest.text(id, "k1", "secret"),
                            "body must be at most 5 characters"),
                    Arguments.of("an empty body without attachments", SendRequest.text(id, "k1", ""),
                            "body must not be empty unless attachments are sent"),
                    Arguments.of("a blank body without attachments", SendRequest.text(id, "k1", " \t "),
                            "body must not be empty unless attachments are sent"),
                    Arguments.of("too many attachments", SendRequest.text(id, "k1", "").withAttachments(List.of(a1, a2, a3)),
                            "at most 2 attachments per message"),
                    Arguments.of("a repeated attachment", SendRequest.text(id, "k1", "hi").withAttachments(List.of(a1, a1)),
                            "attachments must not repeat"),
                    Arguments.of("an attachment there is no store for yet", SendRequest.text(id, "k1", "").withAttachments(List.of(a1)),
                            "unknown attachment"));
        }

        @ParameterizedTest(name = "{0} is a bad request: \"{2}\"")
        @MethodSource("invalidRequests")
        @DisplayName("an invalid request is a bad request with a clear message, and nothing is stored or published")
        void invalidRequestIsRefused(String what, SendRequest template, String message) {
            Clinic c = clinic(limits(MessagingLimits.builder()
                    .maxBodyChars(5).maxAttachmentsPerMessage(2).maxClientMsgIdLength(8)));
            Conversation conv = c.doctorAndPatient();
            SendRequest request = new SendRequest(conv.id(), template.clientMsgId(), template.body(),
                    template.priority(), template.attachments());
            assertThatThrownBy(() -> c.messaging.send(as(c.doctor), request))
                    .isInstanceOf(BadRequestException.class)
                    .hasMessage(message)
                    .hasMessageNotContaining("secret");
            assertThat(c.events(MessageCommitted.class)).isEmpty();
            assertThat(c.messaging.history(as(c.doctor), conv.id(), null, null).messages()).isEmpty();
        }

        @Test
        @DisplayName("body length counts characters as code points: five emoji fit a five-character limit, six do not")
        void bodyLengthInCodePoints() {
            Clinic c = clinic(limits(MessagingLimits.builder().maxBodyChars(5)));
            Conversation conv = c.doctorAndPatient();
            String five = "\uD83D\uDE00".repeat(5);
            assertThat(five).hasSize(10);
            assertThat(c.messaging.send(as(c.doctor), SendRequest.text(conv.id(), "k1", five)).body()).isEqualTo(five);
            assertThatThrownBy(() -> c.messaging.send(as(c.doctor), SendRequest.text(conv.id(), "k2", five + "\uD83D\uDE00")))
                    .isInstanceOf(BadRequestException.class);
        }

        @Test
        @DisplayName("MessageCommitted goes to every member only after the message is committed")
        void publishedAfterCommit() {
            Clinic c = clinic();
            Conversation conv = c.doctorAndPatient();
            List<Boolean> storedWhenPublished = new CopyOnWriteArrayList<>();
            c.bus.subscribe(event -> {
                if (event instanceof MessageCommitted committed) {
                    storedWhenPublished.add(
                            c.storage.messages().find(committed.conversationId(), committed.seq()).isPresent());
                }
            });
            Message sent = c.messaging.send(as(c.patient), SendRequest.text(conv.id(), "k1", "Hello"));
            List<MessageCommitted> committed = c.events(MessageCommitted.class);
            assertThat(committed).hasSize(1);
            assertThat(committed.get(0).messageId()).isEqualTo(sent.id());
            assertThat(committed.get(0).seq()).isEqualTo(sent.seq());
            assertThat(committed.get(0).memberIds()).containsExactlyInAnyOrder(c.doctor.id(), c.patient.id());
            assertThat(storedWhenPublished).containsExactly(true);
        }
    }

    @Nested
    @DisplayName("reading")
    class Reading {

        @Test
        @DisplayName("history without a limit uses the default page size; with beforeSeq it pages back")
        void historyDefaultLimit() {
            Clinic c = clinic(limits(MessagingLimits.builder().defaultHistoryLimit(3)));
            Conversation conv = c.doctorAndPatient();
            for (int i = 1; i <= 5; i++) {
                c.messaging.send(as(c.doctor), SendRequest.text(conv.id(), "k" + i, "m" + i));
            }
            HistoryPage newest = c.messaging.history(as(c.patient), conv.id(), null, null);
            assertThat(newest.messages()).extracting(Message::seq).containsExactly(3L, 4L, 5L);
            assertThat(newest.hasMore()).isTrue();
            HistoryPage older = c.messaging.history(as(c.patient), conv.id(), 3L, 10);
            assertThat(older.messages()).extracting(Message::seq).containsExactly(1L, 2L);
            assertThat(older.hasMore()).isFalse();
        }

        @Test
        @DisplayName("a history limit out of range, or a beforeSeq below 1, is a bad request")
        void historyLimitOutOfRange() {
            Clinic c = clinic();
            Conversation conv = c.doctorAndPatient();
            for (int limit : new int[] {0, -1, 101}) {
                assertThatThrownBy(() -> c.messaging.history(as(c.doctor), conv.id(), null, limit))
                        .as("limit %d", limit)
                        .isInstanceOf(BadRequestException.class)
                        .hasMessage("limit must be 1 to 100");
            }
            assertThat(c.messaging.history(as(c.doctor), conv.id(), null, 100).messages()).isEmpty();
            assertThatThrownBy(() -> c.messaging.history(as(c.doctor), conv.id(), 0L, null))
                    .isInstanceOf(BadRequestException.class).hasMessage("beforeSeq must be at least 1");
        }

        @Test
        @DisplayName("the backlog is what comes after the member's deliveredSeq, bounded by the backlog limit")
        void backlogAfterDelivered() {
            Clinic c = clinic(limits(MessagingLimits.builder().backlogLimit(2)));
            Conversation conv = c.doctorAndPatient();
            for (int i = 1; i <= 4; i++) {
                c.messaging.send(as(c.doctor), SendRequest.text(conv.id(), "k" + i, "m" + i));
            }
            c.messaging.markDelivered(as(c.patient), conv.id(), 1);
            assertThat(c.messaging.backlog(as(c.patient), conv.id())).extracting(Message::seq).containsExactly(2L, 3L);
            c.messaging.markDelivered(as(c.patient), conv.id(), 4);
            assertThat(c.messaging.backlog(as(c.patient), conv.id())).isEmpty();
        }
    }

    @Nested
    @DisplayName("receipts and unread counts")
    class Receipts {

        @Test
        @DisplayName("a receipt is published only when the position rises")
        void receiptOnlyWhenAdvanced() {
            Clinic c = clinic();
            Conversation conv = c.doctorAndPatient();
            for (int i = 1; i <= 3; i++) {
                c.messaging.send(as(c.doctor), SendRequest.text(conv.id(), "k" + i, "m" + i));
            }
            c.messaging.markDelivered(as(c.patient), conv.id(), 2);
            c.messaging.markDelivered(as(c.patient), conv.id(), 1);
            c.messaging.markDelivered(as(c.patient), conv.id(), 2);
            MemberState afterRead = c.messaging.markRead(as(c.patient), conv.id(), 3);
            c.messaging.markRead(as(c.patient), conv.id(), 3);
            assertThat(c.events(ReceiptAdvanced.class)).extracting(ReceiptAdvanced::receipt).containsExactly(
                    new Receipt(conv.id(), c.patient.id(), ReceiptKind.DELIVERED, 2),
                    new Receipt(conv.id(), c.patient.id(), ReceiptKind.READ, 3));
            assertThat(c.events(ReceiptAdvanced.class).get(0).memberIds())
                    .containsExactlyInAnyOrder(c.doctor.id(), c.patient.id());
            assertThat(afterRead).isEqualTo(new MemberState(conv.id(), c.patient.id(), 3, 3, 0));
        }

        @Test
        @DisplayName("the conversation list and members() name every member with their stored roles and positions")
        void listNamesMembers() {
            Clinic c = clinic();
            Conversation conv = c.doctorAndPatient();
            c.messaging.send(as(c.doctor), SendRequest.text(conv.id(), "k1", "a"));
            c.messaging.send(as(c.doctor), SendRequest.text(conv.id(), "k2", "b"));
            c.messaging.markDelivered(as(c.patient), conv.id(), 2);
            c.messaging.markRead(as(c.patient), conv.id(), 1);
            List<ConversationMember> expected = conv.memberIds().stream().map(id -> id.equals(c.doctor.id())
                    ? new ConversationMember(id, "Dr House", Set.of(Role.DOCTOR), 0, 0)
                    : new ConversationMember(id, "Pat One", Set.of(Role.PATIENT), 2, 1)).toList();
            assertThat(c.messaging.conversations(as(c.doctor))).singleElement()
                    .satisfies(o -> assertThat(o.members()).isEqualTo(expected));
            assertThat(c.messaging.members(as(c.patient), conv.id())).isEqualTo(expected);
        }

        @Test
        @DisplayName("a negative seq is a bad request")
        void negativeSeq() {
            Clinic c = clinic();
            Conversation conv = c.doctorAndPatient();
            assertThatThrownBy(() -> c.messaging.markRead(as(c.patient), conv.id(), -1))
                    .isInstanceOf(BadRequestException.class);
            assertThatThrownBy(() -> c.messaging.markDelivered(as(c.patient), conv.id(), -1))
                    .isInstanceOf(BadRequestException.class);
        }

        @Test
        @DisplayName("unread counts and the conversation list follow sends and reads")
        void unreadFollowsSendsAndReads() {
            Clinic c = clinic();
            Conversation conv = c.doctorAndPatient();
            Conversation other = c.messaging.openDirect(as(c.otherDoctor), c.patient.id());
            c.messaging.send(as(c.doctor), SendRequest.text(conv.id(), "k1", "a"));
            c.messaging.send(as(c.doctor), SendRequest.text(conv.id(), "k2", "b"));
            c.messaging.send(as(c.patient), SendRequest.text(conv.id(), "k1", "reply"));
            c.clock.advance(Duration.ofMinutes(1));
            c.messaging.send(as(c.otherDoctor), SendRequest.text(other.id(), "k1", "c"));

            assertThat(c.messaging.unread(as(c.patient))).isEqualTo(UnreadCounts.of(
                    Map.of(conv.id(), 2L, other.id(), 1L)));
            assertThat(c.messaging.unread(as(c.doctor)).total()).isEqualTo(1);
            c.messaging.markRead(as(c.patient), conv.id(), 3);
            assertThat(c.messaging.unread(as(c.patient)).total()).isEqualTo(1);

            List<ConversationOverview> list = c.messaging.conversations(as(c.patient));
            assertThat(list).extracting(s -> s.conversation().id()).containsExactly(other.id(), conv.id());
            assertThat(list).extracting(s -> s.summary().self().unread()).containsExactly(1L, 0L);
        }
    }

    @Nested
    @DisplayName("typing, presence and contacts")
    class People {

        @Test
        @DisplayName("typing tells the members, and only after the membership check")
        void typingAfterMembershipCheck() {
            Clinic c = clinic();
            Conversation conv = c.doctorAndPatient();
            c.messaging.typing(as(c.patient), conv.id());
            assertThat(c.events(TypingStarted.class)).containsExactly(
                    new TypingStarted(conv.id(), c.patient.id(), conv.memberIds()));
            assertThatThrownBy(() -> c.messaging.typing(as(c.otherDoctor), conv.id()))
                    .isInstanceOf(NotFoundException.class).hasMessage("conversation not found");
            assertThat(c.events(TypingStarted.class)).hasSize(1);
        }

        @Test
        @DisplayName("a set presence is published and answered; offline cannot be set")
        void setPresence() {
            Clinic c = clinic();
            assertThat(c.messaging.presence(c.doctor.id())).isEqualTo(Presence.OFFLINE);
            c.messaging.setPresence(as(c.doctor), Presence.BUSY);
            assertThat(c.events(PresenceChanged.class)).containsExactly(
                    new PresenceChanged(c.doctor.id(), Presence.BUSY, c.messaging.nodeId()));
            assertThat(c.messaging.presence(c.doctor.id())).isEqualTo(Presence.BUSY);
            assertThatThrownBy(() -> c.messaging.setPresence(as(c.doctor), Presence.OFFLINE))
                    .isInstanceOf(BadRequestException.class);
            assertThat(c.messaging.presence(c.doctor.id())).isEqualTo(Presence.BUSY);
        }

        @Test
        @DisplayName("presence announced by another node on the bus is seen here, offline included")
        void presenceFromOtherNode() {
            Clinic c = clinic();
            c.bus.publish(new PresenceChanged(c.patient.id(), Presence.AWAY, "other-node"));
            assertThat(c.messaging.presence(c.patient.id())).isEqualTo(Presence.AWAY);
            c.bus.publish(new PresenceChanged(c.patient.id(), Presence.OFFLINE, "other-node"));
            assertThat(c.messaging.presence(c.patient.id())).isEqualTo(Presence.OFFLINE);
        }

        @Test
        @DisplayName("contacts follow the roles: doctors see patients and doctors, patients see doctors, admins see no one")
        void contactsPerRole() {
            Clinic c = clinic();
            User disabledDoctor = c.user("gone", "Dr Gone", Role.DOCTOR);
            c.storage.users().setEnabled(disabledDoctor.id(), false);
            c.messaging.setPresence(as(c.otherDoctor), Presence.AVAILABLE);

            assertThat(c.messaging.contacts(as(c.doctor))).extracting(contact -> contact.user().id())
                    .containsExactlyInAnyOrder(c.otherDoctor.id(), c.patient.id(), c.otherPatient.id());
            List<Contact> ofPatient = c.messaging.contacts(as(c.patient));
            assertThat(ofPatient).containsExactlyInAnyOrder(
                    new Contact(c.doctor, Presence.OFFLINE), new Contact(c.otherDoctor, Presence.AVAILABLE));
            assertThat(c.messaging.contacts(as(c.admin))).isEmpty();
        }

        @Test
        @DisplayName("contacts a policy proposes are checked again with mayMessage")
        void contactsAreRechecked() {
            AccessPolicy sloppy = new AccessPolicy() {
                @Override
                public boolean mayMessage(User from, User to) {
                    return DefaultAccessPolicy.INSTANCE.mayMessage(from, to);
                }

                @Override
                public List<User> contacts(User caller, UserStore users, int limit) {
                    return users.list(null, limit);
                }
            };
            Clinic c = clinic(b -> b.accessPolicy(sloppy));
            assertThat(c.messaging.contacts(as(c.patient))).extracting(contact -> contact.user().id())
                    .containsExactlyInAnyOrder(c.doctor.id(), c.otherDoctor.id());
        }
    }

    @Nested
    @DisplayName("closing")
    class Closing {

        @Test
        @DisplayName("after close, the facade's subscribers get nothing more and operations are refused")
        void closeStopsSubscribers() {
            Clinic c = clinic();
            Conversation conv = c.doctorAndPatient();
            List<MessagingEvent> received = new CopyOnWriteArrayList<>();
            c.messaging.subscribe(received::add);
            c.messaging.typing(as(c.doctor), conv.id());
            assertThat(received).hasSize(1);

            c.messaging.close();
            c.messaging.close();
            c.bus.publish(new PresenceChanged(c.doctor.id(), Presence.AWAY, "test-node"));
            assertThat(received).hasSize(1);
            assertThat(c.events).hasSize(2);
            assertThatThrownBy(() -> c.messaging.send(as(c.doctor), SendRequest.text(conv.id(), "k", "x")))
                    .isInstanceOf(IllegalStateException.class);
        }

        @Test
        @DisplayName("closing a subscription handed out by the facade stops its delivery")
        void subscriptionClose() {
            Clinic c = clinic();
            List<MessagingEvent> received = new CopyOnWriteArrayList<>();
            c.messaging.subscribe(received::add).close();
            c.messaging.setPresence(as(c.doctor), Presence.BUSY);
            assertThat(received).isEmpty();
        }
    }
}
