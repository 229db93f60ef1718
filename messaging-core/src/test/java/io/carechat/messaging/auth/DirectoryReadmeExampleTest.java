package io.carechat.messaging.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.memory.InMemoryAuditSink;
import io.carechat.messaging.memory.InMemoryStorage;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AuditEvent;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The README's directory sync example ("Your user directory"), compiled and run. */
@DisplayName("The README's directory sync example runs")
class DirectoryReadmeExampleTest {

    /** A row of the hospital's own directory, as the example reads it. */
    private record StaffRecord(String subject, String login, String email, String name, boolean clinician,
            boolean left) {}

    @Test
    @DisplayName("a sync creates the staff without passwords and deactivates the one who left")
    void readmeExample() {
        InMemoryStorage storage = new InMemoryStorage();
        InMemoryAuditSink audit = new InMemoryAuditSink();
        RecordingEventBus bus = new RecordingEventBus();
        AccessTokens tokens = AccessTokens.create(TokenSettings.builder()
                .issuer(TokenForge.ISSUER).audience(TokenForge.AUDIENCE).rsaKey("rsa-1", TokenForge.RSA).build(),
                audit, new TestClock(), TokenRevocations.create(storage.users(), bus));
        Accounts accounts = Accounts.builder().users(storage.users()).roleRequests(storage.roleRequests())
                .refreshTokens(storage.refreshTokens()).auditSink(audit).eventBus(bus).accessTokens(tokens).build();
        List<StaffRecord> hospitalDirectory = List.of(
                new StaffRecord("00u1doctor", "dr.ada", "ada@hospital.example", "Dr Ada Lovelace", true, false),
                new StaffRecord("00u2patient", "bob", "bob@mail.example", "Bob Patient", false, false),
                new StaffRecord("00u3former", "dr.old", "old@hospital.example", "Dr Old", true, true));

        // README-SNIPPET-START
        UserDirectory directory = accounts.directory();
        for (StaffRecord staff : hospitalDirectory) {                  // your HR system, LDAP or SCIM feed
            UserId id = UserId.of(staff.subject());                    // the identity provider's sub, as it is
            Set<Role> roles = staff.clinician() ? Set.of(Role.DOCTOR) : Set.of(Role.PATIENT);
            directory.upsert("hr-sync", new DirectoryUser(id, staff.login(), staff.email(), staff.name(), roles));
            if (staff.left()) {
                directory.deactivate("hr-sync", id);                   // tokens and sockets end at once
            }
        }
        // README-SNIPPET-END

        assertThat(storage.users().find(UserId.of("00u1doctor")).orElseThrow().roles()).containsExactly(Role.DOCTOR);
        assertThat(storage.users().find(UserId.of("00u2patient")).orElseThrow().enabled()).isTrue();
        assertThat(storage.users().find(UserId.of("00u3former")).orElseThrow().enabled()).isFalse();
        assertThat(audit.events()).extracting(AuditEvent::clientId).containsOnly("hr-sync");
    }
}
