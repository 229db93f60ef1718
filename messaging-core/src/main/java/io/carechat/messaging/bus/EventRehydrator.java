package io.carechat.messaging.bus;

import io.carechat.messaging.event.MembersChanged;
import io.carechat.messaging.event.BreakGlassGranted;
import io.carechat.messaging.event.ConversationEscalated;
import io.carechat.messaging.event.MessageCommitted;
import io.carechat.messaging.event.MessageRecalled;
import io.carechat.messaging.event.MessagingEvent;
import io.carechat.messaging.event.PresenceChanged;
import io.carechat.messaging.event.ReceiptAdvanced;
import io.carechat.messaging.event.RoleRequested;
import io.carechat.messaging.event.SessionsRevoked;
import io.carechat.messaging.event.TypingStarted;
import io.carechat.messaging.bus.EventPayloads.Payload;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.ConversationMember;
import io.carechat.messaging.model.MemberState;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.MessageId;
import io.carechat.messaging.model.Presence;
import io.carechat.messaging.model.Receipt;
import io.carechat.messaging.model.ReceiptKind;
import io.carechat.messaging.model.RoleRequestId;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.MessagingStorage;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns another node's notification back into its event. A committed message comes back by its
 * ids, as it was sent: the {@code Messaging} facade reads and opens the message itself, so the
 * bus holds no keys. What the payload leaves out is read from the store: the members of a
 * conversation (with their names and roles for a change of a group's members), a role request by
 * id. Not API. Thread-safe; it blocks on the store, so it runs on
 * the bus's delivery thread.
 */
public final class EventRehydrator {
    private static final Logger LOG = LoggerFactory.getLogger(EventRehydrator.class);

    private final MessagingStorage storage;

    /**
     * Creates a rehydrator.
     *
     * @param storage the store every node shares
     */
    public EventRehydrator(MessagingStorage storage) {
        this.storage = storage;
    }

    /**
     * Rebuilds the event a payload names.
     *
     * @param payload the payload
     * @return the event, or empty when the payload is malformed, of an unknown type, or names
     *     something the store does not hold
     * @throws io.carechat.messaging.error.UnavailableException if the store cannot be read
     */
    public Optional<MessagingEvent> rehydrate(Payload payload) {
        try {
            return read(payload);
        } catch (IllegalArgumentException e) {
            LOG.debug("ignoring a malformed notification");
            return Optional.empty();
        }
    }

    private Optional<MessagingEvent> read(Payload p) {
        switch (p.type()) {
            case "message": {
                ConversationId conversation = ConversationId.of(p.text("conversationId"));
                return Optional.of(MessageCommitted.of(MessageId.of(p.text("messageId")), conversation,
                        p.number("seq"), members(conversation)));
            }
            case "receipt": {
                ConversationId conversation = ConversationId.of(p.text("conversationId"));
                Receipt receipt = new Receipt(conversation, UserId.of(p.text("userId")),
                        ReceiptKind.valueOf(p.text("kind")), p.number("seq"));
                return Optional.of(new ReceiptAdvanced(receipt, members(conversation)));
            }
            case "presence":
                return Optional.of(new PresenceChanged(UserId.of(p.text("userId")), Presence.valueOf(p.text("status")),
                        p.fields().hasNonNull("origin") ? p.text("origin") : p.node()));
            case "typing": {
                ConversationId conversation = ConversationId.of(p.text("conversationId"));
                return Optional.of(new TypingStarted(conversation, UserId.of(p.text("userId")), members(conversation)));
            }
            case "role_request":
                return storage.roleRequests().find(RoleRequestId.of(p.text("requestId"))).map(RoleRequested::new);
            case "sessions_revoked":
                return Optional.of(new SessionsRevoked(UserId.of(p.text("userId")),
                        SessionsRevoked.Reason.valueOf(p.text("reason"))));
            case "members_changed": {
                ConversationId conversation = ConversationId.of(p.text("conversationId"));
                return Optional.of(new MembersChanged(conversation, UserId.of(p.text("userId")),
                        MembersChanged.Change.valueOf(p.text("change")), describedMembers(conversation)));
            }
            case "recalled": {
                ConversationId conversation = ConversationId.of(p.text("conversationId"));
                return Optional.of(new MessageRecalled(conversation, p.number("seq"), instant(p, "recalledAt"),
                        members(conversation)));
            }
            case "break_glass":
                return Optional.of(new BreakGlassGranted(p.text("grantId"),
                        ConversationId.of(p.text("conversationId")), UserId.of(p.text("userId")),
                        instant(p, "grantedAt"), instant(p, "expiresAt")));
            case "escalation":
                return Optional.of(new ConversationEscalated(ConversationId.of(p.text("conversationId")),
                        p.number("seq"), p.texts("userIds").stream().map(UserId::of).toList()));
            default:
                LOG.debug("ignoring a notification of unknown type");
                return Optional.empty();
        }
    }

    /** The members now, with the names and roles of their stored accounts. */
    private List<ConversationMember> describedMembers(ConversationId conversation) {
        List<MemberState> states = storage.conversations().members(conversation);
        if (states.isEmpty()) {
            return List.of();
        }
        Map<UserId, User> accounts = storage.users().findAll(states.stream().map(MemberState::userId).toList())
                .stream().collect(Collectors.toMap(User::id, Function.identity(), (a, b) -> a));
        return states.stream().map(s -> ConversationMember.of(s, accounts.get(s.userId()))).toList();
    }

    private static Instant instant(Payload p, String name) {
        try {
            return Instant.parse(p.text(name));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("a " + p.type() + " notification has a malformed " + name, e);
        }
    }

    private List<UserId> members(ConversationId conversation) {
        return storage.conversations().members(conversation).stream().map(m -> m.userId()).toList();
    }
}
