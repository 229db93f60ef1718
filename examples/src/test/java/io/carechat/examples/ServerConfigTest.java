package io.carechat.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ServerConfigTest {

    @Test
    @DisplayName("with nothing set, the defaults apply: everything on port 8080 (no separate socket port), embedded H2 with demo data")
    void defaults() {
        ServerConfig config = ServerConfig.parse(new String[0], Map.of());
        assertThat(config.httpPort()).isEqualTo(8080);
        assertThat(config.wsPort()).isEmpty();
        assertThat(config.wsUrl()).as("the socket on the HTTP port").isEqualTo("ws://localhost:8080/ws");
        assertThat(config.embeddedDatabase()).isTrue();
        assertThat(config.jdbcUrl()).startsWith("jdbc:h2:file:").contains("carechat-data")
                .as("commits written before they return, so acknowledgements survive a crash").contains(";WRITE_DELAY=0");
        assertThat(config.demoData()).isTrue();
        assertThat(config.accessTokenTtl()).isEqualTo(Duration.ofSeconds(900));
        assertThat(config.sendRatePerSecond()).isEqualTo(20);
        assertThat(config.sendBurst()).isEqualTo(40);
        assertThat(config.maxFrameBytes()).isEqualTo(65536);
        assertThat(config.maxBodyChars()).isEqualTo(8000);
        assertThat(config.maxAttachmentBytes()).isEqualTo(10_485_760);
        assertThat(config.socketsPerUser()).isEqualTo(10);
        assertThat(config.idleLogoff()).isZero();
        assertThat(config.corsOrigins()).isEmpty();
        assertThat(config.effectiveAllowedOrigins()).contains("http://localhost:8080");
    }

    @Test
    @DisplayName("flags win over environment variables of the same name, in both --flag value and --flag=value forms")
    void flagsOverEnvironment() {
        ServerConfig config = ServerConfig.parse(new String[] {"--http-port", "9000", "--ws-port=9001"},
                Map.of("CARECHAT_HTTP_PORT", "7000", "CARECHAT_SEND_BURST", "5"));
        assertThat(config.httpPort()).isEqualTo(9000);
        assertThat(config.wsPort()).hasValue(9001);
        assertThat(config.wsUrl()).as("the web UI is sent to the separate socket port").isEqualTo("ws://localhost:9001/ws");
        assertThat(config.sendBurst()).isEqualTo(5);
    }

    @Test
    @DisplayName("demo data is off by default for an external database, and can be turned on")
    void demoDataOnlyForTheEmbeddedDatabase() {
        assertThat(ServerConfig.parse(new String[0], Map.of("CARECHAT_DB_URL", "jdbc:postgresql://db/carechat"))
                .demoData()).isFalse();
        assertThat(ServerConfig.parse(new String[0], Map.of("CARECHAT_DB_URL", "jdbc:postgresql://db/carechat",
                "CARECHAT_DEMO_DATA", "true")).demoData()).isTrue();
    }

    @Test
    @DisplayName("a NATS event bus links nodes of a shared database: its servers must be nats:// or tls:// URLs, and the embedded database refuses it")
    void natsBusSettings() {
        ServerConfig config = ServerConfig.parse(new String[0], Map.of("CARECHAT_DB_URL", "jdbc:postgresql://db/carechat",
                "CARECHAT_NATS_URL", "nats://nats-1:4222,nats://nats-2:4222", "CARECHAT_NATS_STREAM", "WARD_7"));
        assertThat(config.natsUrls()).containsExactly("nats://nats-1:4222", "nats://nats-2:4222");
        assertThat(config.natsStream()).isEqualTo("WARD_7");
        assertThat(ServerConfig.parse(new String[0], Map.of()).natsUrls()).as("none by default").isEmpty();
        assertThatThrownBy(() -> ServerConfig.parse(new String[0], Map.of("CARECHAT_NATS_URL", "nats://nats-1:4222")))
                .hasMessageContaining("CARECHAT_NATS_URL links nodes that share a database: set CARECHAT_DB_URL");
        assertThatThrownBy(() -> ServerConfig.parse(new String[0], Map.of("CARECHAT_DB_URL", "jdbc:postgresql://db/c",
                "CARECHAT_NATS_URL", "http://nats-1:4222", "CARECHAT_NATS_STREAM", "no spaces allowed")))
                .hasMessageContaining("CARECHAT_NATS_URL must list nats:// or tls:// URLs")
                .hasMessageContaining("CARECHAT_NATS_STREAM must be 1 to 32");
    }

    @Test
    @DisplayName("every bad value is reported at once, each naming its setting")
    void badValuesNameTheirSetting() {
        assertThatThrownBy(() -> ServerConfig.parse(new String[] {"--bogus", "1"}, Map.of(
                "CARECHAT_HTTP_PORT", "eighty", "CARECHAT_SEND_RATE_PER_SECOND", "0",
                "CARECHAT_JWT_SECRET", "too short", "CARECHAT_DEMO_DATA", "maybe")))
                .isInstanceOf(ServerConfig.InvalidSettingException.class)
                .hasMessageContaining("CARECHAT_HTTP_PORT must be a whole number")
                .hasMessageContaining("CARECHAT_SEND_RATE_PER_SECOND must be between 1")
                .hasMessageContaining("CARECHAT_JWT_SECRET must be at least 32 bytes")
                .hasMessageContaining("CARECHAT_DEMO_DATA must be true or false")
                .hasMessageContaining("unknown option --bogus")
                .message().doesNotContain("too short");
    }

    @Test
    @DisplayName("the refresh family's lifetime is 30 days by default and accepted from 1 to 365 days, named when wrong")
    void refreshMaxDays() {
        assertThat(ServerConfig.parse(new String[0], Map.of()).refreshMaxAge()).isEqualTo(Duration.ofDays(30));
        assertThat(ServerConfig.parse(new String[0], Map.of("CARECHAT_REFRESH_MAX_DAYS", "365")).refreshMaxAge())
                .isEqualTo(Duration.ofDays(365));
        for (String bad : new String[] {"0", "366"}) {
            assertThatThrownBy(() -> ServerConfig.parse(new String[0], Map.of("CARECHAT_REFRESH_MAX_DAYS", bad)))
                    .isInstanceOf(ServerConfig.InvalidSettingException.class)
                    .hasMessageContaining("CARECHAT_REFRESH_MAX_DAYS must be between 1 and 365, was " + bad);
        }
    }

    @Test
    @DisplayName("the recall window is 900 s by default and accepted from 1 s; the FHIR identifier system must be an absolute URI")
    void recordKeeping() {
        RecordKeeping defaults = ServerConfig.parse(new String[0], Map.of()).recordKeeping();
        assertThat(defaults.recallWindow()).isEqualTo(Duration.ofSeconds(900));
        assertThat(defaults.fhirIdentifierSystem()).isEqualTo("urn:carechat:user");
        RecordKeeping set = ServerConfig.parse(new String[0], Map.of("CARECHAT_RECALL_WINDOW_SECONDS", "1",
                "CARECHAT_FHIR_IDENTIFIER_SYSTEM", "https://ehr.example.org/sid/user")).recordKeeping();
        assertThat(set.recallWindow()).isEqualTo(Duration.ofSeconds(1));
        assertThat(set.fhirIdentifierSystem()).isEqualTo("https://ehr.example.org/sid/user");
        assertThatThrownBy(() -> ServerConfig.parse(new String[0], Map.of("CARECHAT_RECALL_WINDOW_SECONDS", "0",
                "CARECHAT_FHIR_IDENTIFIER_SYSTEM", "not a uri")))
                .isInstanceOf(ServerConfig.InvalidSettingException.class)
                .hasMessageContaining("CARECHAT_RECALL_WINDOW_SECONDS")
                .hasMessageContaining("CARECHAT_FHIR_IDENTIFIER_SYSTEM must be an absolute URI");
    }

    @Test
    @DisplayName("a TLS keystore without its password is refused")
    void tlsNeedsPassword() {
        assertThatThrownBy(() -> ServerConfig.parse(new String[0], Map.of("CARECHAT_TLS_KEYSTORE", "/tmp/ks.p12")))
                .hasMessageContaining("CARECHAT_TLS_KEYSTORE_PASSWORD is required");
    }

    @Test
    @DisplayName("login throttle settings that do not fit together, and an out-of-range upload purge time, are refused by name")
    void abuseSettingsAreChecked() {
        assertThatThrownBy(() -> ServerConfig.parse(new String[0], Map.of("CARECHAT_LOGIN_MAX_DELAY_SECONDS", "30",
                "CARECHAT_LOGIN_MAX_ACCOUNT_DELAY_SECONDS", "60")))
                .hasMessageContaining("LOGIN_ settings do not fit together")
                .hasMessageContaining("maxAccountDelay");
        assertThatThrownBy(() -> ServerConfig.parse(new String[0], Map.of("CARECHAT_UNLINKED_UPLOAD_HOURS", "0")))
                .hasMessageContaining("CARECHAT_UNLINKED_UPLOAD_HOURS must be between 1 and 8760");
        ServerConfig config = ServerConfig.parse(new String[0], Map.of("CARECHAT_LOGIN_FREE_FAILURES_PER_ADDRESS", "80",
                "CARECHAT_UNAUTHENTICATED_REQUESTS_PER_MINUTE", "42", "CARECHAT_AUDIT_REFUSAL_WINDOW_SECONDS", "5"));
        assertThat(config.abuse().loginThrottle().freeFailuresPerAddress()).isEqualTo(80);
        assertThat(config.abuse().unauthenticatedRequestsPerMinute()).isEqualTo(42);
        assertThat(config.abuse().refusalAuditWindow()).hasSeconds(5);
    }

    @Test
    @DisplayName("break-glass lasts CARECHAT_BREAK_GLASS_MINUTES (60 by default) unless the test-only seconds override"
            + " is above 0; out-of-range values and access log limits are refused by name")
    void clinicalAccessSettings() {
        ServerConfig defaults = ServerConfig.parse(new String[0], Map.of());
        assertThat(defaults.clinicalAccess().breakGlass()).hasMinutes(60);
        assertThat(defaults.clinicalAccess().accessLogMaxLimit()).isEqualTo(100);
        assertThat(ServerConfig.parse(new String[0], Map.of("CARECHAT_BREAK_GLASS_MINUTES", "5"))
                .clinicalAccess().breakGlass()).hasMinutes(5);
        assertThat(ServerConfig.parse(new String[0], Map.of("CARECHAT_BREAK_GLASS_MINUTES", "5",
                "CARECHAT_BREAK_GLASS_SECONDS", "3")).clinicalAccess().breakGlass()).hasSeconds(3);
        assertThatThrownBy(() -> ServerConfig.parse(new String[0], Map.of("CARECHAT_BREAK_GLASS_MINUTES", "0")))
                .hasMessageContaining("CARECHAT_BREAK_GLASS_MINUTES must be between 1 and 1440");
        assertThatThrownBy(() -> ServerConfig.parse(new String[0], Map.of("CARECHAT_ACCESS_LOG_MAX_LIMIT", "1001")))
                .hasMessageContaining("CARECHAT_ACCESS_LOG_MAX_LIMIT must be between 1 and 1000");
    }

    @Test
    @DisplayName("offline notifications are on by default after 60 s with a 900 s quiet period, linking to this server's UI;"
            + " the delay is accepted from 1 s, and bad values are refused by name")
    void offlineNoticeSettings() {
        ServerConfig defaults = ServerConfig.parse(new String[0], Map.of());
        assertThat(defaults.offlineNotices().enabled()).isTrue();
        assertThat(defaults.offlineNotices().settings()).hasValueSatisfying(s -> {
            assertThat(s.delay()).hasSeconds(60);
            assertThat(s.quietPeriod()).hasSeconds(900);
            assertThat(s.deepLinkBase()).isEqualTo("http://localhost:8080/#/conversations");
        });
        ServerConfig fast = ServerConfig.parse(new String[0], Map.of("CARECHAT_NOTIFY_AFTER_SECONDS", "1",
                "CARECHAT_NOTIFY_QUIET_SECONDS", "0", "CARECHAT_NOTIFY_LINK_BASE", "https://ehr.example/chat"));
        assertThat(fast.offlineNotices().settings()).hasValueSatisfying(s -> {
            assertThat(s.delay()).hasSeconds(1);
            assertThat(s.quietPeriod()).isZero();
            assertThat(s.deepLinkBase()).isEqualTo("https://ehr.example/chat");
        });
        assertThat(ServerConfig.parse(new String[0], Map.of("CARECHAT_NOTIFY_OFFLINE", "false")).offlineNotices()
                .settings()).isEmpty();
        assertThatThrownBy(() -> ServerConfig.parse(new String[0], Map.of("CARECHAT_NOTIFY_AFTER_SECONDS", "0",
                "CARECHAT_NOTIFY_QUIET_SECONDS", "-1", "CARECHAT_NOTIFY_LINK_BASE", "ftp://files.example",
                "CARECHAT_NOTIFY_OFFLINE", "maybe")))
                .hasMessageContaining("CARECHAT_NOTIFY_AFTER_SECONDS must be between 1 and 86400")
                .hasMessageContaining("CARECHAT_NOTIFY_QUIET_SECONDS must be between 0 and 86400")
                .hasMessageContaining("CARECHAT_NOTIFY_LINK_BASE must be an absolute http or https URL")
                .hasMessageContaining("CARECHAT_NOTIFY_OFFLINE must be true or false");
    }

    @Test
    @DisplayName("urgent messages escalate after CARECHAT_ESCALATION_SECONDS (600 by default, from 1), scanned every"
            + " CARECHAT_ESCALATION_SCAN_SECONDS (5 by default); out-of-range values are refused by name")
    void escalationSettings() {
        ServerConfig defaults = ServerConfig.parse(new String[0], Map.of());
        assertThat(defaults.clinicalAccess().escalation()).hasMinutes(10);
        assertThat(defaults.clinicalAccess().escalationScan()).hasSeconds(5);
        ServerConfig quick = ServerConfig.parse(new String[0], Map.of("CARECHAT_ESCALATION_SECONDS", "1",
                "CARECHAT_ESCALATION_SCAN_SECONDS", "1"));
        assertThat(quick.clinicalAccess().escalation()).hasSeconds(1);
        assertThat(quick.clinicalAccess().escalationScan()).hasSeconds(1);
        assertThatThrownBy(() -> ServerConfig.parse(new String[0], Map.of("CARECHAT_ESCALATION_SECONDS", "0",
                "CARECHAT_ESCALATION_SCAN_SECONDS", "601")))
                .hasMessageContaining("CARECHAT_ESCALATION_SECONDS must be between 1 and 86400")
                .hasMessageContaining("CARECHAT_ESCALATION_SCAN_SECONDS must be between 1 and 600");
        assertThatThrownBy(() -> ServerConfig.parse(new String[0], Map.of("CARECHAT_ESCALATION_SECONDS", "soon")))
                .hasMessageContaining("CARECHAT_ESCALATION_SECONDS");
    }

    @Test
    @DisplayName("--help lists every setting with its flag and environment variable")
    void helpListsEverySetting() {
        String help = ServerConfig.help();
        for (Setting s : Setting.values()) {
            assertThat(help).contains(s.flag()).contains(s.envName());
        }
    }

    @Test
    @DisplayName("the configuration's text form leaves out passwords and secrets")
    void toStringHidesSecrets() {
        ServerConfig config = ServerConfig.parse(new String[0], Map.of("CARECHAT_DB_PASSWORD", "db-pass-marker",
                "CARECHAT_JWT_SECRET", "jwt-secret-marker-jwt-secret-marker", "CARECHAT_ADMIN_PASSWORD", "admin-marker"));
        assertThat(config.toString()).doesNotContain("db-pass-marker").doesNotContain("jwt-secret-marker")
                .doesNotContain("admin-marker");
    }

    @Test
    @DisplayName("the job intervals are a day by default, ISO-8601 durations from PT1S to P366D, 0 turns a job off;"
            + " bad values are named together")
    void backgroundJobs() {
        BackgroundJobs defaults = ServerConfig.parse(new String[0], Map.of()).backgroundJobs();
        assertThat(defaults.retentionInterval()).contains(Duration.ofDays(1));
        assertThat(defaults.keyRotationInterval()).contains(Duration.ofDays(1));
        assertThat(defaults.retentionAge()).as("content kept for ever by default").isEmpty();

        BackgroundJobs set = ServerConfig.parse(new String[0], Map.of("CARECHAT_RETENTION_INTERVAL", "PT6H",
                "CARECHAT_KEY_ROTATION_INTERVAL", "0", "CARECHAT_RETENTION_DAYS", "3650")).backgroundJobs();
        assertThat(set.retentionInterval()).contains(Duration.ofHours(6));
        assertThat(set.keyRotationInterval()).as("turned off").isEmpty();
        assertThat(set.retentionAge()).contains(Duration.ofDays(3650));

        assertThatThrownBy(() -> ServerConfig.parse(new String[0], Map.of("CARECHAT_RETENTION_INTERVAL", "6 hours",
                "CARECHAT_KEY_ROTATION_INTERVAL", "P400D", "CARECHAT_RETENTION_DAYS", "-1")))
                .isInstanceOf(ServerConfig.InvalidSettingException.class)
                .hasMessageContaining("CARECHAT_RETENTION_INTERVAL must be an ISO-8601 duration")
                .hasMessageContaining("CARECHAT_KEY_ROTATION_INTERVAL must be from PT1S to P366D")
                .hasMessageContaining("CARECHAT_RETENTION_DAYS must be between 0 and 36500");
        assertThatThrownBy(() -> ServerConfig.parse(new String[0], Map.of("CARECHAT_RETENTION_INTERVAL", "PT0.5S")))
                .isInstanceOf(ServerConfig.InvalidSettingException.class)
                .hasMessageContaining("CARECHAT_RETENTION_INTERVAL must be from PT1S to P366D");
    }
}
