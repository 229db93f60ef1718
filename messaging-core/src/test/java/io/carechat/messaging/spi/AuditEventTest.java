package io.carechat.messaging.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Audit events")
class AuditEventTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    @DisplayName("action and reason must be codes, never free text")
    void codesOnly() {
        assertThatThrownBy(() -> AuditEvent.builder(NOW, "User logged in", AuditEvent.Outcome.SUCCESS).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuditEvent.builder(NOW, "auth.login", AuditEvent.Outcome.FAILURE)
                        .reason("password was hunter2").build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("network-supplied fields lose control characters and are cut to length, so they cannot forge log lines")
    void cleansFreeText() {
        AuditEvent event = AuditEvent.builder(NOW, "auth.login", AuditEvent.Outcome.FAILURE)
                .client("10.0.0.1\r\nFAKE ENTRY", "web", "r".repeat(500))
                .build();
        assertThat(event.clientAddress()).isEqualTo("10.0.0.1??FAKE ENTRY");
        assertThat(event.requestId()).hasSize(AuditEvent.MAX_TEXT);
    }
}
