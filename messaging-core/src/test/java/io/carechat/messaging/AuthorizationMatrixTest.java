package io.carechat.messaging;

import static io.carechat.messaging.Clinic.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.carechat.messaging.error.ErrorCode;
import io.carechat.messaging.error.ForbiddenException;
import io.carechat.messaging.error.NotFoundException;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.ConversationOverview;
import io.carechat.messaging.model.Presence;
import io.carechat.messaging.model.SendRequest;
import io.carechat.messaging.model.UnreadCounts;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every facade operation against every kind of caller, with the outcome the rules demand. The
 * scene: a doctor and a patient share a conversation with one message from the doctor; an admin
 * and a second doctor are members of nothing. Membership is checked against the store, so the
 * second doctor, whom the policy lets message the patient, still cannot touch their conversation.
 */
@DisplayName("Authorization matrix of the Messaging facade")
class AuthorizationMatrixTest {

    /** Who calls. */
    enum Actor {
        ADMIN("an admin"),
        DOCTOR("the doctor member"),
        PATIENT("the patient member"),
        NON_MEMBER("a doctor who is not a member");

        private final String text;

        Actor(String text) {
            this.text = text;
        }

        User user(Clinic c) {
            return switch (this) {
                case ADMIN -> c.admin;
                case DOCTOR -> c.doctor;
                case PATIENT -> c.patient;
                case NON_MEMBER -> c.otherDoctor;
            };
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** What is expected. */
    enum Outcome {
        OK("succeeds", (r, id) -> true),
        NOT_FOUND("is not_found", (r, id) -> false),
        FORBIDDEN("is forbidden", (r, id) -> false),
        SEES_CONVERSATION("succeeds and shows the conversation", AuthorizationMatrixTest::mentions),
        DOES_NOT_SEE_CONVERSATION("succeeds without the conversation", (r, id) -> !mentions(r, id)),
        NO_CONTACTS("succeeds with no contacts", (r, id) -> ((List<?>) r).isEmpty());

        private final String text;
        private final BiPredicate<Object, ConversationId> check;

        Outcome(String text, BiPredicate<Object, ConversationId> check) {
            this.text = text;
            this.check = check;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** The facade's operations, each as the scene's caller performs it. */
    enum Operation {
        OPEN_DIRECT {
            @Override
            Object call(Scene s, Caller caller) {
                UserId with = caller.userId().equals(s.clinic.patient.id()) ? s.clinic.doctor.id() : s.clinic.patient.id();
                return s.clinic.messaging.openDirect(caller, with);
            }
        },
        SEND {
            @Override
            Object call(Scene s, Caller caller) {
                return s.clinic.messaging.send(caller, SendRequest.text(s.conversation.id(), "matrix-1", "hi"));
            }
        },
        HISTORY {
            @Override
            Object call(Scene s, Caller caller) {
                return s.clinic.messaging.history(caller, s.conversation.id(), null, null);
            }
        },
        BACKLOG {
            @Override
            Object call(Scene s, Caller caller) {
                return s.clinic.messaging.backlog(caller, s.conversation.id());
            }
        },
        MARK_DELIVERED {
            @Override
            Object call(Scene s, Caller caller) {
                return s.clinic.messaging.markDelivered(caller, s.conversation.id(), 1);
            }
        },
        MARK_READ {
            @Override
            Object call(Scene s, Caller caller) {
                return s.clinic.messaging.markRead(caller, s.conversation.id(), 1);
            }
        },
        TYPING {
            @Override
            Object call(Scene s, Caller caller) {
                s.clinic.messaging.typing(caller, s.conversation.id());
                return "typing sent";
            }
        },
        MEMBERS {
            @Override
            Object call(Scene s, Caller caller) {
                return s.clinic.messaging.members(caller, s.conversation.id());
            }
        },
        UNREAD {
            @Override
            Object call(Scene s, Caller caller) {
                return s.clinic.messaging.unread(caller);
            }
        },
        CONVERSATIONS {
            @Override
            Object call(Scene s, Caller caller) {
                return s.clinic.messaging.conversations(caller);
            }
        },
        CONTACTS {
            @Override
            Object call(Scene s, Caller caller) {
                return s.clinic.messaging.contacts(caller);
            }
        },
        SET_PRESENCE {
            @Override
            Object call(Scene s, Caller caller) {
                s.clinic.messaging.setPresence(caller, Presence.BUSY);
                return s.clinic.messaging.presence(caller.userId());
            }
        };

        abstract Object call(Scene s, Caller caller);

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    private static boolean mentions(Object result, ConversationId id) {
        if (result instanceof UnreadCounts counts) {
            return counts.perConversation().containsKey(id);
        }
        return ((List<?>) result).stream()
                .anyMatch(s -> ((ConversationOverview) s).conversation().id().equals(id));
    }

    /** The doctor-patient conversation with one unread message for the patient. */
    record Scene(Clinic clinic, Conversation conversation) {}

    static Stream<Arguments> matrix() {
        Map<Operation, List<Outcome>> table = new LinkedHashMap<>();
        // columns: ADMIN, DOCTOR, PATIENT, NON_MEMBER
        table.put(Operation.OPEN_DIRECT, List.of(Outcome.FORBIDDEN, Outcome.OK, Outcome.OK, Outcome.OK));
        for (Operation inConversation : List.of(Operation.SEND, Operation.HISTORY, Operation.BACKLOG,
                Operation.MARK_DELIVERED, Operation.MARK_READ, Operation.TYPING, Operation.MEMBERS)) {
            table.put(inConversation, List.of(Outcome.NOT_FOUND, Outcome.OK, Outcome.OK, Outcome.NOT_FOUND));
        }
        table.put(Operation.UNREAD, List.of(Outcome.DOES_NOT_SEE_CONVERSATION, Outcome.DOES_NOT_SEE_CONVERSATION,
                Outcome.SEES_CONVERSATION, Outcome.DOES_NOT_SEE_CONVERSATION));
        table.put(Operation.CONVERSATIONS, List.of(Outcome.DOES_NOT_SEE_CONVERSATION, Outcome.SEES_CONVERSATION,
                Outcome.SEES_CONVERSATION, Outcome.DOES_NOT_SEE_CONVERSATION));
        table.put(Operation.CONTACTS, List.of(Outcome.NO_CONTACTS, Outcome.OK, Outcome.OK, Outcome.OK));
        table.put(Operation.SET_PRESENCE, List.of(Outcome.OK, Outcome.OK, Outcome.OK, Outcome.OK));

        List<Arguments> rows = new ArrayList<>();
        table.forEach((operation, outcomes) -> {
            for (Actor actor : Actor.values()) {
                rows.add(Arguments.of(operation, actor, outcomes.get(actor.ordinal())));
            }
        });
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} by {1} {2}")
    @MethodSource("matrix")
    @DisplayName("every operation against every role and a non-member")
    void operationByActor(Operation operation, Actor actor, Outcome expected) {
        try (Clinic clinic = new Clinic()) {
            Conversation conversation = clinic.doctorAndPatient();
            clinic.messaging.send(as(clinic.doctor), SendRequest.text(conversation.id(), "setup-1", "hello"));
            Scene scene = new Scene(clinic, conversation);
            int eventsBefore = clinic.events.size();

            switch (expected) {
                case NOT_FOUND -> {
                    NotFoundException e = catchThrowableOfType(NotFoundException.class,
                            () -> operation.call(scene, as(actor.user(clinic))));
                    assertThat(e).as("not_found").isNotNull();
                    assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
                    assertThat(clinic.events).as("no event after a refusal").hasSize(eventsBefore);
                }
                case FORBIDDEN -> {
                    ForbiddenException e = catchThrowableOfType(ForbiddenException.class,
                            () -> operation.call(scene, as(actor.user(clinic))));
                    assertThat(e).as("forbidden").isNotNull();
                    assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN);
                }
                default -> {
                    Object result = operation.call(scene, as(actor.user(clinic)));
                    assertThat(result).isNotNull();
                    assertThat(expected.check.test(result, conversation.id())).as(expected.text + ", got " + result).isTrue();
                }
            }
        }
    }
}
