package io.carechat.messaging.audit;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.AuditRecord;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Turns audit records into a FHIR R4 {@code Bundle} (type {@code collection}) of
 * {@code AuditEvent} resources, following IHE Basic Audit Log Patterns where CareChat has the data:
 *
 * <ul>
 *   <li>{@code id} is the chain sequence; {@code recorded} the time in UTC;</li>
 *   <li>{@code type} is CareChat's action code (system {@value #ACTION_SYSTEM}); {@code action}
 *       the FHIR C/R/U/D/E code derived from it;</li>
 *   <li>{@code outcome} is {@code 0} (success) or {@code 4} (minor failure), with the reason code in
 *       {@code outcomeDesc};</li>
 *   <li>one requestor {@code agent}: the actor's id, its roles, the client's network address and
 *       the client application's id;</li>
 *   <li>{@code entity}: the object acted on, and the patient involved (role {@code 1}, Patient);</li>
 *   <li>every identifier carries a {@code system}: user ids (the actor, the patient) the one the
 *       embedding application configures, so they resolve to the EHR's own records (default
 *       {@value FhirCommunicationExporter#DEFAULT_USER_SYSTEM}); an object's id
 *       {@code urn:carechat:} followed by its type;</li>
 *   <li>extensions carry the transport's request id, the record's chain hashes, so an export
 *       anchors the chain outside the database, and, for an event standing for several identical
 *       refusals, their count ({@value #COUNT_EXTENSION}, {@code valueInteger}).</li>
 * </ul>
 *
 * <p>Metadata only: an audit event never holds message content, so neither does its export.
 * Stateless and thread-safe.
 */
public final class FhirAuditExporter {
    /** The code system of CareChat's action codes. */
    public static final String ACTION_SYSTEM = "urn:carechat:audit-action";
    /** The extension URL of the transport's request id. */
    public static final String REQUEST_ID_EXTENSION = "urn:carechat:audit-request-id";
    /** The extension URL of the record's chain hash. */
    public static final String HASH_EXTENSION = "urn:carechat:audit-hash";
    /** The extension URL of the previous record's chain hash. */
    public static final String PREVIOUS_HASH_EXTENSION = "urn:carechat:audit-previous-hash";
    /** The extension URL of the number of identical occurrences an event stands for, when more than 1. */
    public static final String COUNT_EXTENSION = "urn:carechat:audit-count";

    private static final String OBJECT_ROLE_SYSTEM = "http://terminology.hl7.org/CodeSystem/object-role";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String userSystem;

    /** Creates an exporter whose user identifiers carry the default system. */
    public FhirAuditExporter() {
        this(FhirCommunicationExporter.DEFAULT_USER_SYSTEM);
    }

    /**
     * Creates an exporter whose user identifiers carry the given system.
     *
     * @param userSystem the identifier system of user ids, an absolute URI
     * @throws IllegalArgumentException if it is not an absolute URI
     */
    public FhirAuditExporter(String userSystem) {
        this.userSystem = FhirCommunicationExporter.checkSystem(userSystem);
    }

    /**
     * Exports records as one Bundle.
     *
     * @param records the records, in the order they should appear
     * @param exportedAt when the export was made
     * @return the Bundle as JSON
     */
    public String bundle(List<AuditRecord> records, Instant exportedAt) {
        requireNonNull(records, "records");
        requireNonNull(exportedAt, "exportedAt");
        ObjectNode bundle = JSON.createObjectNode();
        bundle.put("resourceType", "Bundle");
        bundle.put("type", "collection");
        bundle.put("timestamp", exportedAt.toString());
        bundle.put("total", records.size());
        ArrayNode entries = bundle.putArray("entry");
        for (AuditRecord record : records) {
            entries.addObject().set("resource", resource(record));
        }
        try {
            return JSON.writeValueAsString(bundle);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings always serializes", e);
        }
    }

    private ObjectNode resource(AuditRecord record) {
        AuditEvent event = record.event();
        ObjectNode resource = JSON.createObjectNode();
        resource.put("resourceType", "AuditEvent");
        resource.put("id", Long.toString(record.sequence()));
        ObjectNode type = resource.putObject("type");
        type.put("system", ACTION_SYSTEM);
        type.put("code", event.action());
        resource.put("action", fhirAction(event.action()));
        resource.put("recorded", event.time().toString());
        resource.put("outcome", event.outcome() == AuditEvent.Outcome.SUCCESS ? "0" : "4");
        putIfPresent(resource, "outcomeDesc", event.reason());
        ObjectNode agent = resource.putArray("agent").addObject();
        agent.put("requestor", true);
        if (event.actorId() != null) {
            identifier(agent.putObject("who"), userSystem, event.actorId().value());
        }
        if (!event.actorRoles().isEmpty()) {
            ArrayNode roles = agent.putArray("role");
            for (Role role : event.actorRoles()) {
                roles.addObject().put("text", role.name().toLowerCase(Locale.ROOT));
            }
        }
        if (event.clientAddress() != null) {
            ObjectNode network = agent.putObject("network");
            network.put("address", event.clientAddress());
            network.put("type", "2");
        }
        if (event.clientId() != null) {
            agent.putObject("location").put("display", event.clientId());
        }
        resource.putObject("source").putObject("observer").put("display", "CareChat");
        ArrayNode entities = resource.putArray("entity");
        if (event.objectType() != null && event.objectId() != null) {
            ObjectNode entity = entities.addObject();
            identifier(entity.putObject("what"), "urn:carechat:" + event.objectType(), event.objectId());
            entity.putObject("type").put("code", event.objectType());
        }
        if (event.patientId() != null) {
            ObjectNode patient = entities.addObject();
            identifier(patient.putObject("what"), userSystem, event.patientId().value());
            ObjectNode role = patient.putObject("role");
            role.put("system", OBJECT_ROLE_SYSTEM);
            role.put("code", "1");
            role.put("display", "Patient");
        }
        ArrayNode extensions = resource.putArray("extension");
        if (event.requestId() != null) {
            extension(extensions, REQUEST_ID_EXTENSION, event.requestId());
        }
        if (event.count() > 1) {
            ObjectNode count = extensions.addObject();
            count.put("url", COUNT_EXTENSION);
            count.put("valueInteger", event.count());
        }
        extension(extensions, PREVIOUS_HASH_EXTENSION, record.previousHash());
        extension(extensions, HASH_EXTENSION, record.hash());
        return resource;
    }

    /** FHIR's action code: C create, R read, U update, D delete, E execute. */
    static String fhirAction(String action) {
        if (action.endsWith(".read") || action.endsWith(".download") || action.endsWith(".list")
                || action.endsWith(".export") || action.endsWith(".query")) {
            return "R";
        }
        if (action.endsWith(".send") || action.endsWith(".upload") || action.endsWith(".open")
                || action.endsWith(".register") || action.endsWith(".create_admin")
                || action.equals("role.request")) {
            return "C";
        }
        if (action.endsWith(".purge")) {
            return "D";
        }
        if (action.startsWith("receipt.") || action.startsWith("account.") || action.equals("role.approve")
                || action.endsWith(".recall")
                || action.equals("role.deny") || action.endsWith(".rotate")) {
            return "U";
        }
        return "E";
    }

    private static void identifier(ObjectNode reference, String system, String value) {
        ObjectNode identifier = reference.putObject("identifier");
        identifier.put("system", system);
        identifier.put("value", value);
    }

    private static void putIfPresent(ObjectNode node, String field, @Nullable String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private static void extension(ArrayNode extensions, String url, String value) {
        ObjectNode extension = extensions.addObject();
        extension.put("url", url);
        extension.put("valueString", value);
    }
}
