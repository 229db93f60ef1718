package io.carechat.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.examples.Http.Answer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin-only directory endpoint of the running demo: an admin creates, replaces and
 * deactivates a user by the identity provider's subject (one holding {@code |}, escaped in the
 * path); anyone else is refused.
 */
class DirectoryApiIT {
    private static final String ADMIN_PASSWORD = "integration-root-passphrase";
    private static final String SUBJECT = "auth0|5f7c8ec7c33c6c004bbafe82";
    private static final String PATH = "/api/admin/directory/users/auth0%7C5f7c8ec7c33c6c004bbafe82";

    @TempDir
    static Path workDir;

    private static DemoProcess server;
    private static Http http;

    @BeforeAll
    static void start() throws Exception {
        server = DemoProcess.start(workDir, Map.of("CARECHAT_ADMIN_PASSWORD", ADMIN_PASSWORD));
        http = new Http(server.baseUrl());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @DisplayName("an admin upserts a directory user by its subject, replaces its roles, and deactivates it")
    void adminKeepsTheDirectoryInStep() {
        String admin = http.login("admin", ADMIN_PASSWORD);
        Answer created = http.put(PATH, admin, Http.json(Map.of("username", "hsmith", "email", "h.smith@hospital.example",
                "displayName", "Dr Hana Smith", "roles", List.of("DOCTOR"))));
        assertThat(created.status()).as("%s", created.body()).isEqualTo(200);
        assertThat(created.body().path("user").path("id").asText()).isEqualTo(SUBJECT);
        assertThat(created.body().path("user").path("roles").toString()).isEqualTo("[\"DOCTOR\"]");
        assertThat(created.body().path("user").path("enabled").asBoolean()).isTrue();

        Answer replaced = http.put(PATH, admin, Http.json(Map.of("username", "hsmith", "email", "h.smith@hospital.example",
                "displayName", "Dr Hana Smith", "roles", List.of("DOCTOR", "ADMIN"))));
        assertThat(replaced.body().path("user").path("roles").toString()).isEqualTo("[\"ADMIN\",\"DOCTOR\"]");

        Answer deactivated = http.post(PATH + "/deactivate", admin, Http.json(Map.of()));
        assertThat(deactivated.status()).isEqualTo(200);
        assertThat(deactivated.body().path("user").path("enabled").asBoolean()).isFalse();
        assertThat(http.get("/api/admin/users", admin).body().path("users").toString()).contains(SUBJECT);
    }

    @Test
    @DisplayName("a doctor or an anonymous caller is refused, and a bad body names its field")
    void othersAreRefused() {
        String doctor = http.login("dr.grey", Seeding.DEMO_PASSWORD);
        String body = Http.json(Map.of("username", "intruder", "email", "x@hospital.example",
                "displayName", "X", "roles", List.of("ADMIN")));
        Answer refused = http.put("/api/admin/directory/users/intruder", doctor, body);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body().path("error").path("code").asText()).isEqualTo("forbidden");
        assertThat(http.put("/api/admin/directory/users/intruder", null, body).status()).isEqualTo(401);
        assertThat(http.post("/api/admin/directory/users/intruder/deactivate", doctor, Http.json(Map.of())).status())
                .isEqualTo(403);

        String admin = http.login("admin", ADMIN_PASSWORD);
        Answer bad = http.put("/api/admin/directory/users/someone", admin, Http.json(Map.of("username", "someone")));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().path("error").path("message").asText()).contains("email");
    }
}
