package io.carechat.messaging.bus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.carechat.messaging.event.MembersChanged;
import io.carechat.messaging.event.BreakGlassGranted;
import io.carechat.messaging.event.ConversationEscalated;
import io.carechat.messaging.event.MessageCommitted;
import io.carechat.messaging.event.MessageRecalled;
import io.carechat.messaging.event.MessagingEvent;
import io.carechat.messaging.event.PresenceChanged;
import io.carechat.messaging.event.ReceiptAdvanced;
import io.carechat.messaging.event.Resync;
import io.carechat.messaging.event.RoleRequested;
import io.carechat.messaging.event.SessionsRevoked;
import io.carechat.messaging.event.TypingStarted;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The text of a notification: what happened, by ids only, never a message body or a name. Not
 * API. Stateless and thread-safe.
 *
 * <p>Every payload has {@code node} (who published it), {@code n} (that node's counter, so two
 * equal events in one transaction are not merged by PostgreSQL) and {@code type}; then:
 * <ul>
 *   <li>{@code message}: {@code messageId}, {@code conversationId}, {@code seq};</li>
 *   <li>{@code receipt}: {@code conversationId}, {@code userId}, {@code kind}, {@code seq};</li>
 *   <li>{@code presence}: {@code userId}, {@code status};</li>
 *   <li>{@code typing}: {@code conversationId}, {@code userId};</li>
 *   <li>{@code role_request}: {@code requestId};</li>
 *   <li>{@code sessions_revoked}: {@code userId}, {@code reason};</li>
 *   <li>{@code members_changed}: {@code conversationId}, {@code userId}, {@code change}
 *       ({@code ADDED} or {@code REMOVED}); the receiving node reads the members from the store.</li>
 *   <li>{@code recalled}: {@code conversationId}, {@code seq}, {@code recalledAt} (ISO-8601).</li>
 *   <li>{@code break_glass}: {@code grantId}, {@code conversationId}, {@code userId} (the doctor),
 *   {@code grantedAt}, {@code expiresAt} (ISO-8601), never the reason.</li>
 *   <li>{@code escalation}: {@code conversationId}, {@code seq}, {@code userIds} (the on-call
 *   doctors told, at most 50).</li>
 * </ul>
 * Ids are at most 64 characters, so a payload stays far below PostgreSQL's 8,000-byte limit.
 */
public final class EventPayloads {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EventPayloads() {}

    /**
     * A payload read back: who sent it, its type and its fields.
     *
     * @param node the publishing node's id
     * @param type the event type
     * @param fields the whole payload
     */
    public record Payload(String node, String type, JsonNode fields) {

        /**
         * A text field.
         *
         * @param name the field
         * @return its text
         * @throws IllegalArgumentException if it is missing or not text
         */
        public String text(String name) {
            JsonNode value = fields.get(name);
            if (value == null || !value.isTextual()) {
                throw new IllegalArgumentException("a " + type + " notification lacks " + name);
            }
            return value.asText();
        }

        /**
         * A whole-number field.
         *
         * @param name the field
         * @return its value
         * @throws IllegalArgumentException if it is missing or not a whole number
         */
        public long number(String name) {
            JsonNode value = fields.get(name);
            if (value == null || !value.canConvertToLong() || !value.isIntegralNumber()) {
                throw new IllegalArgumentException("a " + type + " notification lacks " + name);
            }
            return value.asLong();
        }

        /**
         * A field holding an array of texts.
         *
         * @param name the field
         * @return the texts, in order
         * @throws IllegalArgumentException if it is missing or holds anything but text
         */
        public List<String> texts(String name) {
            JsonNode value = fields.get(name);
            if (value == null || !value.isArray()) {
                throw new IllegalArgumentException("a " + type + " notification lacks " + name);
            }
            List<String> texts = new ArrayList<>();
            for (JsonNode element : value) {
                if (!element.isTextual()) {
                    throw new IllegalArgumentException("a " + type + " notification has a malformed " + name);
                }
                texts.add(element.asText());
            }
            return texts;
        }
    }

    /**
     * Writes the payload for an event.
     *
     * @param node the publishing node's id
     * @param n the node's counter for this event
     * @param event the event
     * @return the payload, or null for an event that stays on its node ({@link Resync})
     */
    public static @Nullable String encode(String node, long n, MessagingEvent event) {
        ObjectNode o = JSON.createObjectNode();
        o.put("node", node);
        o.put("n", n);
        return event.accept(new Writer(o)) ? o.toString() : null;
    }

    /** Puts an event's type and ids into the payload; answers false for an event that stays local. */
    private static final class Writer implements MessagingEvent.Visitor<Boolean> {
        private final ObjectNode o;

        private Writer(ObjectNode o) {
            this.o = o;
        }

        @Override
        public Boolean visitMessageCommitted(MessageCommitted e) {
            o.put("type", "message");
            o.put("messageId", e.messageId().value());
            o.put("conversationId", e.conversationId().value());
            o.put("seq", e.seq());
            return true;
        }

        @Override
        public Boolean visitReceiptAdvanced(ReceiptAdvanced e) {
            o.put("type", "receipt");
            o.put("conversationId", e.receipt().conversationId().value());
            o.put("userId", e.receipt().userId().value());
            o.put("kind", e.receipt().kind().name());
            o.put("seq", e.receipt().seq());
            return true;
        }

        @Override
        public Boolean visitPresenceChanged(PresenceChanged e) {
            o.put("type", "presence");
            o.put("userId", e.userId().value());
            o.put("status", e.presence().name());
            o.put("origin", e.nodeId());
            return true;
        }

        @Override
        public Boolean visitTypingStarted(TypingStarted e) {
            o.put("type", "typing");
            o.put("conversationId", e.conversationId().value());
            o.put("userId", e.userId().value());
            return true;
        }

        @Override
        public Boolean visitRoleRequested(RoleRequested e) {
            o.put("type", "role_request");
            o.put("requestId", e.request().id().value());
            return true;
        }

        @Override
        public Boolean visitBreakGlassGranted(BreakGlassGranted e) {
            o.put("type", "break_glass");
            o.put("grantId", e.grantId());
            o.put("conversationId", e.conversationId().value());
            o.put("userId", e.doctorId().value());
            o.put("grantedAt", e.grantedAt().toString());
            o.put("expiresAt", e.expiresAt().toString());
            return true;
        }

        @Override
        public Boolean visitSessionsRevoked(SessionsRevoked e) {
            o.put("type", "sessions_revoked");
            o.put("userId", e.userId().value());
            o.put("reason", e.reason().name());
            return true;
        }

        @Override
        public Boolean visitResync(Resync e) {
            return false;
        }

        @Override
        public Boolean visitMembersChanged(MembersChanged e) {
            o.put("type", "members_changed");
            o.put("conversationId", e.conversationId().value());
            o.put("userId", e.userId().value());
            o.put("change", e.change().name());
            return true;
        }

        @Override
        public Boolean visitConversationEscalated(ConversationEscalated e) {
            o.put("type", "escalation");
            o.put("conversationId", e.conversationId().value());
            o.put("seq", e.seq());
            ArrayNode doctors = o.putArray("userIds");
            e.doctorIds().forEach(d -> doctors.add(d.value()));
            return true;
        }

        @Override
        public Boolean visitMessageRecalled(MessageRecalled e) {
            o.put("type", "recalled");
            o.put("conversationId", e.conversationId().value());
            o.put("seq", e.seq());
            o.put("recalledAt", e.recalledAt().toString());
            return true;
        }
    }

    /**
     * Reads a payload.
     *
     * @param text the notification's payload
     * @return the payload, or empty when it is not one of CareChat's
     */
    public static Optional<Payload> decode(String text) {
        try {
            JsonNode tree = JSON.readTree(text);
            if (tree == null || !tree.isObject()) {
                return Optional.empty();
            }
            JsonNode node = tree.get("node");
            JsonNode type = tree.get("type");
            if (node == null || !node.isTextual() || type == null || !type.isTextual()) {
                return Optional.empty();
            }
            return Optional.of(new Payload(node.asText(), type.asText(), tree));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }
}
