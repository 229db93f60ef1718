package io.carechat.messaging.audit;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.carechat.messaging.model.AttachmentId;
import io.carechat.messaging.model.AttachmentRef;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.MessageId;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.AuditRecord;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The FHIR exports checked with HAPI FHIR's R4 structures: each Bundle parses with the strict
 * parser (unknown elements, wrong types and unknown codes are errors) and passes HAPI's validator
 * against the R4 XML schemas (cardinalities, data types, value sets bound as codes), and its
 * content is read back through HAPI's model classes.
 */
@DisplayName("FHIR exports validate as R4")
class FhirExportValidationTest {
    private static final FhirContext FHIR = FhirContext.forR4();
    private static final String SYSTEM = "https://ehr.example.org/fhir/identifier/user";
    private static final Instant AT = Instant.parse("2026-03-02T09:00:00.123456Z");
    private static final UserId DOCTOR = UserId.of("3f1c2a9e-2d7b-4a4e-9d55-0b6f0e2f8a11");
    private static final UserId PATIENT = UserId.of("8d6b3c1a-5e4f-4a2b-8c9d-1e2f3a4b5c6d");
    private static final ConversationId CONV = ConversationId.of("0c9e8d7f-6a5b-4c3d-8e2f-1a0b9c8d7e6f");

    private static Message message(int seq, UserId sender, String body, Priority priority, List<AttachmentRef> refs) {
        return new Message(MessageId.random(), CONV, seq, sender, body, priority, AT.plusSeconds(seq), "c" + seq, refs);
    }

    private static List<Message> conversation() {
        return List.of(
                message(1, PATIENT, "My chest hurts since this morning", Priority.URGENT, List.of()),
                message(2, DOCTOR, "Please come in at 11", Priority.NORMAL, List.of()),
                message(3, PATIENT, "", Priority.NORMAL,
                        List.of(new AttachmentRef(AttachmentId.of("a-1"), "ecg.pdf", "application/pdf", 1234))),
                message(4, DOCTOR, "meant for another patient", Priority.NORMAL, List.of())
                        .tombstone(AT.plusSeconds(60)));
    }

    private static String communications() {
        return new FhirCommunicationExporter(SYSTEM).bundle(List.of(new FhirCommunicationExporter.Conversation(
                CONV, List.of(DOCTOR, PATIENT), Set.of(PATIENT), Set.of(DOCTOR), conversation())), AT.plusSeconds(99));
    }

    private static Bundle strictlyParsed(String json) {
        IParser parser = FHIR.newJsonParser().setParserErrorHandler(new StrictErrorHandler());
        return parser.parseResource(Bundle.class, json);
    }

    private static List<SingleValidationMessage> problems(String json) {
        FhirValidator validator = FHIR.newValidator();
        validator.setValidateAgainstStandardSchema(true);
        validator.setValidateAgainstStandardSchematron(false);
        ValidationResult result = validator.validateWithResult(json);
        return result.getMessages().stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
                .toList();
    }

    @Test
    @DisplayName("the Communication Bundle parses strictly and passes the R4 schema validation")
    void communicationBundleValidates() {
        String json = communications();
        assertThat(problems(json)).isEmpty();
        Bundle bundle = strictlyParsed(json);
        assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.COLLECTION);
        assertThat(bundle.getEntry()).hasSize(4);
    }

    @Test
    @DisplayName("one Communication per message: status, sent, sender, recipient, payload, priority, no inResponseTo")
    void communicationContent() {
        List<Communication> all = strictlyParsed(communications()).getEntry().stream()
                .map(e -> (Communication) e.getResource()).toList();
        Communication urgent = all.get(0);
        assertThat(urgent.getStatus()).isEqualTo(Communication.CommunicationStatus.COMPLETED);
        assertThat(urgent.getPriority()).isEqualTo(Communication.CommunicationPriority.URGENT);
        assertThat(urgent.getSent().toInstant()).isEqualTo(AT.plusSeconds(1).truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        assertThat(urgent.getSender().getType()).isEqualTo("Patient");
        assertThat(urgent.getSender().getIdentifier().getSystem()).isEqualTo(SYSTEM);
        assertThat(urgent.getSender().getIdentifier().getValue()).isEqualTo(PATIENT.value());
        assertThat(urgent.getRecipient()).extracting(Reference::getType).containsExactly("Practitioner");
        assertThat(urgent.getRecipient().get(0).getIdentifier().getValue()).isEqualTo(DOCTOR.value());
        assertThat(urgent.getPayloadFirstRep().getContentStringType().getValue())
                .isEqualTo("My chest hurts since this morning");
        assertThat(urgent.getSubject().getIdentifier().getValue()).isEqualTo(PATIENT.value());
        assertThat(all.get(1).getPriority()).isEqualTo(Communication.CommunicationPriority.ROUTINE);
        assertThat(all.get(2).getPayload()).singleElement()
                .satisfies(p -> assertThat(p.getContentAttachment().getContentType()).isEqualTo("application/pdf"));
        assertThat(all).allSatisfy(c -> assertThat(c.getInResponseTo()).isEmpty());
        assertThat(all).allSatisfy(c -> assertThat(c.getIdentifierFirstRep().getSystem())
                .isEqualTo(FhirCommunicationExporter.MESSAGE_SYSTEM));
    }

    @Test
    @DisplayName("a recalled message is entered-in-error with no payload, and its body appears nowhere")
    void recalledMessage() {
        String json = communications();
        Communication recalled = (Communication) strictlyParsed(json).getEntry().get(3).getResource();
        assertThat(recalled.getStatus()).isEqualTo(Communication.CommunicationStatus.ENTEREDINERROR);
        assertThat(recalled.getPayload()).isEmpty();
        assertThat(json).doesNotContain("meant for another patient");
    }

    @Test
    @DisplayName("the validation bites: an unknown status and a missing Bundle type are errors")
    void validatorBites() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode tree = (ObjectNode) mapper.readTree(communications());
        ((ObjectNode) tree.get("entry").get(0).get("resource")).put("status", "sent-by-pigeon");
        assertThat(problems(tree.toString())).isNotEmpty();
        ObjectNode untyped = (ObjectNode) mapper.readTree(communications());
        untyped.remove("type");
        assertThat(problems(untyped.toString())).isNotEmpty();
    }

    @Test
    @DisplayName("the AuditEvent Bundle passes the R4 schema validation, and its user identifiers carry the configured system")
    void auditBundleValidates() {
        AuditEvent send = AuditEvent.builder(AT, "message.export", AuditEvent.Outcome.SUCCESS)
                .actor(DOCTOR, Set.of(Role.DOCTOR))
                .client("10.0.0.7", "web", "req-1")
                .object("conversation", CONV.value())
                .patient(PATIENT)
                .build();
        AuditEvent refused = AuditEvent.builder(AT.plusSeconds(1), "authz.denied", AuditEvent.Outcome.FAILURE)
                .object("conversation", CONV.value()).reason("message_read").build().aggregated(3);
        String json = new FhirAuditExporter(SYSTEM).bundle(List.of(
                new AuditRecord(1, send, "0".repeat(64), "a".repeat(64), "k1"),
                new AuditRecord(2, refused, "a".repeat(64), "b".repeat(64), "k1")), AT.plusSeconds(5));
        assertThat(problems(json)).isEmpty();
        Bundle bundle = strictlyParsed(json);
        org.hl7.fhir.r4.model.AuditEvent first = (org.hl7.fhir.r4.model.AuditEvent) bundle.getEntry().get(0).getResource();
        assertThat(first.getAgentFirstRep().getWho().getIdentifier().getSystem()).isEqualTo(SYSTEM);
        assertThat(first.getEntity()).extracting(e -> e.getWhat().getIdentifier().getSystem())
                .containsExactly("urn:carechat:conversation", SYSTEM);
    }
}
