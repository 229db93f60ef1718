package io.carechat.messaging.audit;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.carechat.messaging.model.AttachmentRef;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.model.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns conversations into a FHIR R4 {@code Bundle} (type {@code collection}) of
 * {@code Communication} resources, one per message, for the medical record:
 *
 * <ul>
 *   <li>{@code id} and {@code identifier} (system {@value #MESSAGE_SYSTEM}) are the message's id;</li>
 *   <li>{@code status} is {@code completed}, or {@code entered-in-error} for a recalled message,
 *       which then has no {@code payload};</li>
 *   <li>{@code priority} is {@code urgent} or {@code routine}; {@code sent} the commit time;</li>
 *   <li>{@code sender} and {@code recipient} (the other members) are logical references by
 *       identifier, with the system the embedding application configures (so they resolve to the
 *       EHR's own Patient and Practitioner records) and {@code type} {@code Patient} or
 *       {@code Practitioner} from the member's role; {@code subject} is the patient member;</li>
 *   <li>{@code about} names the conversation (system {@value #CONVERSATION_SYSTEM});</li>
 *   <li>{@code payload} holds the body as {@code contentString} (when not empty) and each
 *       attachment's type, name and size as {@code contentAttachment}; {@code inResponseTo} is
 *       never set.</li>
 * </ul>
 *
 * <p>The JSON is written with Jackson; no FHIR library is needed at run time. Immutable and
 * thread-safe.
 */
public final class FhirCommunicationExporter {
    /** The identifier system of users when the application configures none. */
    public static final String DEFAULT_USER_SYSTEM = "urn:carechat:user";
    /** The identifier system of message ids. */
    public static final String MESSAGE_SYSTEM = "urn:carechat:message";
    /** The identifier system of conversation ids. */
    public static final String CONVERSATION_SYSTEM = "urn:carechat:conversation";

    private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String userSystem;

    /**
     * Creates an exporter.
     *
     * @param userSystem the identifier system of user ids, such as the EHR's system for its
     *     patients' and practitioners' ids; an absolute URI
     * @throws IllegalArgumentException if {@code userSystem} is not an absolute URI
     */
    public FhirCommunicationExporter(String userSystem) {
        this.userSystem = checkSystem(userSystem);
    }

    /**
     * Checks an identifier system: an absolute URI (a scheme, a colon, no white space).
     *
     * @param system the system
     * @return the system
     * @throws IllegalArgumentException if it is not one
     */
    public static String checkSystem(String system) {
        requireNonNull(system, "system");
        if (!system.matches("[A-Za-z][A-Za-z0-9+.\\-]*:\\S+")) {
            throw new IllegalArgumentException("an identifier system must be an absolute URI");
        }
        return system;
    }

    /**
     * One conversation's messages and members, as the exporter needs them. Immutable.
     *
     * @param id the conversation
     * @param memberIds its members
     * @param patients the members holding the patient role
     * @param practitioners the members holding the doctor role
     * @param messages its messages, opened, recalled ones as tombstones, ascending by {@code seq}
     */
    public record Conversation(ConversationId id, List<UserId> memberIds, Set<UserId> patients,
            Set<UserId> practitioners, List<Message> messages) {
        /** Checks the fields and copies the collections. */
        public Conversation {
            requireNonNull(id, "id");
            memberIds = List.copyOf(memberIds);
            patients = Set.copyOf(patients);
            practitioners = Set.copyOf(practitioners);
            messages = List.copyOf(messages);
        }
    }

    /**
     * Exports conversations as one Bundle.
     *
     * @param conversations the conversations, in the order they should appear
     * @param exportedAt when the export was made
     * @return the Bundle as JSON
     */
    public String bundle(List<Conversation> conversations, Instant exportedAt) {
        requireNonNull(conversations, "conversations");
        requireNonNull(exportedAt, "exportedAt");
        ObjectNode bundle = JSON.createObjectNode();
        bundle.put("resourceType", "Bundle");
        bundle.put("type", "collection");
        bundle.put("timestamp", exportedAt.toString());
        ArrayNode entries = bundle.putArray("entry");
        for (Conversation conversation : conversations) {
            for (Message message : conversation.messages()) {
                ObjectNode entry = entries.addObject();
                if (UUID.matcher(message.id().value()).matches()) {
                    entry.put("fullUrl", "urn:uuid:" + message.id().value());
                }
                entry.set("resource", communication(conversation, message));
            }
        }
        try {
            return JSON.writeValueAsString(bundle);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings always serializes", e);
        }
    }

    private ObjectNode communication(Conversation conversation, Message message) {
        ObjectNode resource = JSON.createObjectNode();
        resource.put("resourceType", "Communication");
        if (FHIR_ID.matcher(message.id().value()).matches()) {
            resource.put("id", message.id().value());
        }
        ObjectNode identifier = resource.putArray("identifier").addObject();
        identifier.put("system", MESSAGE_SYSTEM);
        identifier.put("value", message.id().value());
        resource.put("status", message.recalled() ? "entered-in-error" : "completed");
        resource.put("priority", message.priority() == Priority.URGENT ? "urgent" : "routine");
        conversation.memberIds().stream().filter(conversation.patients()::contains).findFirst()
                .ifPresent(patient -> resource.set("subject", reference(conversation, patient)));
        ObjectNode about = resource.putArray("about").addObject();
        about.putObject("identifier").put("system", CONVERSATION_SYSTEM).put("value", conversation.id().value());
        resource.put("sent", message.sentAt().toString());
        ArrayNode recipients = resource.putArray("recipient");
        for (UserId member : conversation.memberIds()) {
            if (!member.equals(message.senderId())) {
                recipients.add(reference(conversation, member));
            }
        }
        if (recipients.isEmpty()) {
            resource.remove("recipient");
        }
        resource.set("sender", reference(conversation, message.senderId()));
        if (!message.recalled()) {
            ArrayNode payload = JSON.createArrayNode();
            if (!message.body().isEmpty()) {
                payload.addObject().put("contentString", message.body());
            }
            for (AttachmentRef attachment : message.attachments()) {
                ObjectNode content = payload.addObject().putObject("contentAttachment");
                content.put("contentType", attachment.contentType());
                if (!attachment.name().isEmpty()) {
                    content.put("title", attachment.name());
                }
                if (attachment.size() <= Integer.MAX_VALUE) {
                    content.put("size", attachment.size());
                }
            }
            if (!payload.isEmpty()) {
                resource.set("payload", payload);
            }
        }
        return resource;
    }

    private ObjectNode reference(Conversation conversation, UserId user) {
        ObjectNode reference = JSON.createObjectNode();
        if (conversation.patients().contains(user)) {
            reference.put("type", "Patient");
        } else if (conversation.practitioners().contains(user)) {
            reference.put("type", "Practitioner");
        }
        reference.putObject("identifier").put("system", userSystem).put("value", user.value());
        return reference;
    }
}
