package io.carechat.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.carechat.messaging.error.ConfigurationException;
import io.carechat.messaging.error.NotFoundException;
import io.carechat.messaging.error.TooLargeException;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.model.SendRequest;
import io.carechat.messaging.spi.AuditEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("FHIR Communication export through the facade")
class FhirExportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Clinic clinic = new Clinic(b -> b.fhirIdentifierSystem("https://ehr.example/id/user"));

    @AfterEach
    void close() {
        clinic.close();
    }

    private Message send(Conversation c, io.carechat.messaging.model.User from, String id, String body, Priority p) {
        return clinic.messaging.send(Clinic.as(from), new SendRequest(c.id(), id, body, p, List.of()));
    }

    private static List<JsonNode> resources(String bundle) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        JSON.readTree(bundle).get("entry").forEach(e -> out.add(e.get("resource")));
        return out;
    }

    @Test
    @DisplayName("a member exports a conversation: one Communication per message, recalled ones entered-in-error, and it is audited")
    void memberExports() throws Exception {
        Conversation chat = clinic.doctorAndPatient();
        send(chat, clinic.patient, "m1", "pain", Priority.URGENT);
        Message wrong = send(chat, clinic.doctor, "m2", "CANARY wrong chart", Priority.NORMAL);
        clinic.messaging.recall(Clinic.as(clinic.doctor), chat.id(), wrong.seq(), "wrong chart");

        String bundle = clinic.messaging.exportFhir(Clinic.as(clinic.patient), chat.id());

        List<JsonNode> all = resources(bundle);
        assertThat(all).extracting(r -> r.get("status").asText()).containsExactly("completed", "entered-in-error");
        assertThat(all.get(0).get("priority").asText()).isEqualTo("urgent");
        assertThat(all.get(0).get("payload").get(0).get("contentString").asText()).isEqualTo("pain");
        assertThat(all.get(0).get("sender").get("identifier").get("system").asText())
                .isEqualTo("https://ehr.example/id/user");
        assertThat(all.get(1).has("payload")).isFalse();
        assertThat(bundle).doesNotContain("CANARY");
        assertThat(clinic.audit.events()).filteredOn(e -> e.action().equals("message.export")).singleElement()
                .satisfies(e -> {
                    assertThat(e.outcome()).isEqualTo(AuditEvent.Outcome.SUCCESS);
                    assertThat(e.objectId()).isEqualTo(chat.id().value());
                    assertThat(e.patientId()).isEqualTo(clinic.patient.id());
                });
    }

    @Test
    @DisplayName("a non-member gets not found, audited as a denial")
    void nonMember() {
        Conversation chat = clinic.doctorAndPatient();
        assertThatThrownBy(() -> clinic.messaging.exportFhir(Clinic.as(clinic.otherPatient), chat.id()))
                .isInstanceOf(NotFoundException.class);
        assertThat(clinic.audit.events()).filteredOn(e -> e.action().equals("authz.denied")).isNotEmpty();
    }

    @Test
    @DisplayName("the caller's own export covers each of their conversations and no one else's")
    void ownExport() throws Exception {
        Conversation chat = clinic.doctorAndPatient();
        Conversation other = clinic.messaging.openDirect(Clinic.as(clinic.otherDoctor), clinic.patient.id());
        Conversation notMine = clinic.messaging.openDirect(Clinic.as(clinic.doctor), clinic.otherPatient.id());
        send(chat, clinic.patient, "m1", "one", Priority.NORMAL);
        send(other, clinic.patient, "m2", "two", Priority.NORMAL);
        send(notMine, clinic.doctor, "m3", "NOT-MINE", Priority.NORMAL);

        String bundle = clinic.messaging.exportOwnFhir(Clinic.as(clinic.patient));

        assertThat(resources(bundle)).extracting(r -> r.get("payload").get(0).get("contentString").asText())
                .containsExactlyInAnyOrder("one", "two");
        assertThat(bundle).doesNotContain("NOT-MINE");
    }

    @Test
    @DisplayName("an export larger than the limit is refused as too large; the limit and the system are checked at build")
    void limits() {
        try (Clinic small = new Clinic(b -> b.fhirExportLimit(1))) {
            Conversation chat = small.doctorAndPatient();
            for (String id : List.of("a", "b")) {
                small.messaging.send(Clinic.as(small.doctor),
                        new SendRequest(chat.id(), id, "x", Priority.NORMAL, List.of()));
            }
            assertThatThrownBy(() -> small.messaging.exportFhir(Clinic.as(small.doctor), chat.id()))
                    .isInstanceOf(TooLargeException.class);
        }
        assertThatThrownBy(() -> new Clinic(b -> b.fhirExportLimit(0).fhirIdentifierSystem("not a uri")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("fhirExportLimit")
                .hasMessageContaining("fhirIdentifierSystem");
    }
}
