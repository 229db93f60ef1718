package io.carechat.messaging.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.event.MembersChanged;
import io.carechat.messaging.event.MessageCommitted;
import io.carechat.messaging.event.MessageRecalled;
import io.carechat.messaging.event.MessagingEvent;
import io.carechat.messaging.event.PresenceChanged;
import io.carechat.messaging.event.ReceiptAdvanced;
import io.carechat.messaging.event.Resync;
import io.carechat.messaging.event.RoleRequested;
import io.carechat.messaging.event.BreakGlassGranted;
import io.carechat.messaging.event.ConversationEscalated;
import io.carechat.messaging.event.SessionsRevoked;
import io.carechat.messaging.event.TypingStarted;
import io.carechat.messaging.memory.InMemoryStorage;
import io.carechat.messaging.model.Conversation;
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
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Every kind of event survives the PostgreSQL bus's trip between nodes: written as a payload of
 * ids, read back, and rebuilt from the shared store, it equals what was published; only
 * {@link Resync} stays on its node.
 */
@DisplayName("The PostgreSQL bus's payloads")
class EventPayloadsTest {
    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    private final InMemoryStorage storage = new InMemoryStorage();
    private final UserId doctor = user("house", Role.DOCTOR);
    private final UserId patient = user("sam", Role.PATIENT);
    private final Conversation conversation =
            storage.conversations().openDirect(ConversationId.random(), doctor, patient, T0);
    private final List<UserId> members = conversation.memberIds();
    private final UserId colleague = user("confidential name", Role.DOCTOR);
    private final Conversation team = storage.conversations().createGroup(ConversationId.random(), "confidential team",
            List.of(doctor, patient, colleague), T0);
    private final RoleRequest request = storage.roleRequests().create(new RoleRequest(RoleRequestId.random(), patient,
            Role.DOCTOR, "a confidential note", RoleRequestStatus.PENDING, T0, null, null));

    /** One event of every kind that crosses nodes, as a node publishes it; a kind without one fails. */
    private final Map<Class<?>, MessagingEvent> published = Map.ofEntries(
            Map.entry(MessageCommitted.class, MessageCommitted.of(MessageId.random(), conversation.id(), 42, members)),
            Map.entry(ReceiptAdvanced.class, new ReceiptAdvanced(
                    new Receipt(conversation.id(), patient, ReceiptKind.DELIVERED, 41), members)),
            Map.entry(PresenceChanged.class, new PresenceChanged(doctor, Presence.AWAY, "test-node")),
            Map.entry(TypingStarted.class, new TypingStarted(conversation.id(), doctor, members)),
            Map.entry(RoleRequested.class, new RoleRequested(request)),
            Map.entry(SessionsRevoked.class, new SessionsRevoked(patient, SessionsRevoked.Reason.DISABLED)),
            Map.entry(MembersChanged.class, new MembersChanged(team.id(), colleague, MembersChanged.Change.ADDED,
                    storage.conversations().members(team.id()).stream()
                            .map(m -> ConversationMember.of(m, storage.users().find(m.userId()).orElseThrow()))
                            .toList())),
            Map.entry(MessageRecalled.class, new MessageRecalled(conversation.id(), 41, T0.plusSeconds(30), members)),
            Map.entry(BreakGlassGranted.class, new BreakGlassGranted("grant-1", conversation.id(), doctor, T0,
                    T0.plusSeconds(3600))),
            Map.entry(ConversationEscalated.class, new ConversationEscalated(conversation.id(), 41,
                    List.of(doctor, colleague))));

    private UserId user(String name, Role role) {
        return storage.users().create(new User(UserId.random(), name, name + "@hospital.test", name, Set.of(role), true,
                T0), "placeholder-hash").id();
    }

    @Test
    @DisplayName("every permitted kind but Resync comes back from its payload equal to what was published, by ids only")
    void everyKindRoundTrips() {
        EventRehydrator rehydrator = new EventRehydrator(storage);
        for (Class<?> kind : MessagingEvent.class.getPermittedSubclasses()) {
            if (kind == Resync.class) {
                continue;
            }
            MessagingEvent event = published.get(kind);
            assertThat(event).as("a sample of " + kind.getSimpleName()).isNotNull();

            String payload = EventPayloads.encode("node-1", 7, event);

            assertThat(payload).as(kind.getSimpleName()).isNotNull().doesNotContain("confidential");
            EventPayloads.Payload decoded = EventPayloads.decode(payload).orElseThrow();
            assertThat(decoded.node()).isEqualTo("node-1");
            assertThat(rehydrator.rehydrate(decoded)).as(kind.getSimpleName()).contains(event);
        }
    }

    @Test
    @DisplayName("a Resync has no payload: it stays on its node")
    void resyncStaysLocal() {
        assertThat(EventPayloads.encode("node-1", 1, new Resync())).isNull();
    }

    @Test
    @DisplayName("a message payload missing its message id, or with a seq below 1, is ignored")
    void malformedMessagePayloadIgnored() {
        EventRehydrator rehydrator = new EventRehydrator(storage);
        for (String text : List.of(
                "{\"node\":\"x\",\"type\":\"message\",\"conversationId\":\"" + conversation.id().value() + "\",\"seq\":1}",
                "{\"node\":\"x\",\"type\":\"message\",\"messageId\":\"m1\",\"conversationId\":\""
                        + conversation.id().value() + "\",\"seq\":0}")) {
            assertThat(rehydrator.rehydrate(EventPayloads.decode(text).orElseThrow())).as(text).isEmpty();
        }
    }

    @Test
    @DisplayName("a recalled payload with a malformed recalledAt is ignored")
    void malformedRecalledPayloadIgnored() {
        String text = "{\"node\":\"x\",\"type\":\"recalled\",\"conversationId\":\"" + conversation.id().value()
                + "\",\"seq\":1,\"recalledAt\":\"yesterday\"}";
        assertThat(new EventRehydrator(storage).rehydrate(EventPayloads.decode(text).orElseThrow())).isEmpty();
    }

    @Test
    @DisplayName("the kinds with a sample here are exactly the kinds that cross nodes")
    void samplesCoverEveryKind() {
        assertThat(published.keySet()).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(MessagingEvent.class.getPermittedSubclasses()).filter(k -> k != Resync.class).toList());
    }
}
