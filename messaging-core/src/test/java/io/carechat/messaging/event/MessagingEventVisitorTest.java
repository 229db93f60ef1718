package io.carechat.messaging.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.ConversationMember;
import io.carechat.messaging.model.MessageId;
import io.carechat.messaging.model.Presence;
import io.carechat.messaging.model.Receipt;
import io.carechat.messaging.model.ReceiptKind;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.RoleRequest;
import io.carechat.messaging.model.RoleRequestId;
import io.carechat.messaging.model.RoleRequestStatus;
import io.carechat.messaging.model.UserId;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The event hierarchy and its visitor stay in step: every permitted kind of event has its own
 * visitor method, and {@code accept} calls that one and no other.
 */
@DisplayName("MessagingEvent.Visitor")
class MessagingEventVisitorTest {
    private static final UserId DOCTOR = UserId.of("doctor-1");
    private static final UserId PATIENT = UserId.of("patient-1");
    private static final ConversationId CONVERSATION = ConversationId.of("conversation-1");

    /** One event of every kind; a kind added to the hierarchy without a sample fails the tests. */
    private static final Map<Class<?>, MessagingEvent> SAMPLES = Map.ofEntries(
            Map.entry(MessageCommitted.class, MessageCommitted.of(MessageId.of("message-1"), CONVERSATION, 3,
                    List.of(DOCTOR, PATIENT))),
            Map.entry(ReceiptAdvanced.class, new ReceiptAdvanced(new Receipt(CONVERSATION, PATIENT, ReceiptKind.READ, 3),
                    List.of(DOCTOR, PATIENT))),
            Map.entry(PresenceChanged.class, new PresenceChanged(DOCTOR, Presence.BUSY, "test-node")),
            Map.entry(TypingStarted.class, new TypingStarted(CONVERSATION, PATIENT, List.of(DOCTOR, PATIENT))),
            Map.entry(RoleRequested.class, new RoleRequested(new RoleRequest(RoleRequestId.of("request-1"), PATIENT,
                    Role.DOCTOR, "note", RoleRequestStatus.PENDING, Instant.EPOCH, null, null))),
            Map.entry(SessionsRevoked.class, new SessionsRevoked(DOCTOR, SessionsRevoked.Reason.LOGOUT)),
            Map.entry(Resync.class, new Resync()),
            Map.entry(MembersChanged.class, new MembersChanged(CONVERSATION, PATIENT, MembersChanged.Change.REMOVED,
                    List.of(new ConversationMember(DOCTOR, "Dr", Set.of(Role.DOCTOR), 3, 3, 0)))),
            Map.entry(MessageRecalled.class, new MessageRecalled(CONVERSATION, 3, Instant.EPOCH, List.of(DOCTOR, PATIENT))),
            Map.entry(BreakGlassGranted.class, new BreakGlassGranted("grant-1", CONVERSATION, DOCTOR, Instant.EPOCH,
                    Instant.EPOCH.plusSeconds(3600))),
            Map.entry(ConversationEscalated.class, new ConversationEscalated(CONVERSATION, 3, List.of(DOCTOR))));

    private static List<Class<?>> kinds() {
        return Arrays.asList(MessagingEvent.class.getPermittedSubclasses());
    }

    @Test
    @DisplayName("every permitted kind of event has a visitor method named after it, taking exactly that kind")
    void everyKindHasItsMethod() throws NoSuchMethodException {
        for (Class<?> kind : kinds()) {
            Method method = MessagingEvent.Visitor.class.getMethod("visit" + kind.getSimpleName(), kind);
            assertThat(method.getParameterTypes()).containsExactly(kind);
        }
        assertThat(MessagingEvent.Visitor.class.getMethods()).hasSameSizeAs(kinds());
    }

    @Test
    @DisplayName("accept calls the visitor method of the event's own kind, once, with the event, and returns"
            + " its result")
    void acceptDispatchesToItsOwnMethod() {
        assertThat(SAMPLES.keySet()).as("a sample of every kind").containsExactlyInAnyOrderElementsOf(kinds());
        for (Class<?> kind : kinds()) {
            MessagingEvent event = SAMPLES.get(kind);
            List<String> calls = new ArrayList<>();
            @SuppressWarnings("unchecked")
            MessagingEvent.Visitor<String> recorder = (MessagingEvent.Visitor<String>) Proxy.newProxyInstance(
                    MessagingEvent.Visitor.class.getClassLoader(), new Class<?>[] {MessagingEvent.Visitor.class},
                    (proxy, method, args) -> {
                        assertThat(args).containsExactly(event);
                        calls.add(method.getName());
                        return "result of " + method.getName();
                    });

            String result = event.accept(recorder);

            assertThat(calls).containsExactly("visit" + kind.getSimpleName());
            assertThat(result).isEqualTo("result of visit" + kind.getSimpleName());
        }
    }
}
