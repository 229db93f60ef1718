package io.carechat.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.carechat.messaging.tck.transport.RawWebSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo jar with a hospital identity provider shaped like Keycloak, external-only and with
 * just-in-time provisioning: the test serves the provider's JWKS on loopback and mints its access
 * tokens, and the server takes them over WebSocket and HTTP while refusing its own sign-in.
 */
class ExternalIdentityIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUBJECT = "3c9a6e2b-1d4f-4e8a-b5c7-0d2e4f6a8b1c";

    @TempDir
    static Path workDir;

    static HttpServer jwks;
    static KeyPair key;
    static String issuer;
    static DemoProcess server;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        key = generator.generateKeyPair();
        byte[] keySet = new JWKSet(new RSAKey.Builder((RSAPublicKey) key.getPublic()).keyID("kc-1").build())
                .toString(true).getBytes(StandardCharsets.UTF_8);
        jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwks.createContext("/realms/hospital/protocol/openid-connect/certs", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, keySet.length);
            exchange.getResponseBody().write(keySet);
            exchange.close();
        });
        jwks.start();
        String base = "http://127.0.0.1:" + jwks.getAddress().getPort() + "/realms/hospital";
        issuer = base;
        server = DemoProcess.start(workDir, Map.ofEntries(
                Map.entry("CARECHAT_ADMIN_PASSWORD", "integration-root-passphrase"),
                Map.entry("CARECHAT_IDP_ISSUER", issuer),
                Map.entry("CARECHAT_IDP_JWKS_URL", base + "/protocol/openid-connect/certs"),
                Map.entry("CARECHAT_IDP_AUDIENCE", "carechat"),
                Map.entry("CARECHAT_IDP_TOKEN_TYPES", "JWT"),
                Map.entry("CARECHAT_IDP_ROLES_CLAIM", "realm_access.roles"),
                Map.entry("CARECHAT_IDP_ROLE_MAP", "carechat-doctor:DOCTOR,carechat-patient:PATIENT,carechat-admin:ADMIN"),
                Map.entry("CARECHAT_IDP_PROVISION_USERS", "true"),
                Map.entry("CARECHAT_EXTERNAL_ONLY", "true")));
        http = new Http(server.baseUrl());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (jwks != null) {
            jwks.stop(0);
        }
    }

    /** A Keycloak access token: typ JWT, typ Bearer as a claim, realm roles nested in realm_access. */
    private static String keycloakToken(String audience) throws Exception {
        return keycloakToken(audience, SUBJECT, "carechat-doctor", "lcuddy");
    }

    private static String keycloakToken(String audience, String subject, String realmRole, String username)
            throws Exception {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .expirationTime(Date.from(now.plusSeconds(300)))
                .issueTime(Date.from(now))
                .jwtID("onrtac:" + java.util.UUID.randomUUID())
                .issuer(issuer)
                .audience(List.of(audience, "account"))
                .subject(subject)
                .claim("typ", "Bearer")
                .claim("azp", "carechat-web")
                .claim("realm_access", Map.of("roles", List.of("default-roles-hospital", realmRole)))
                .claim("resource_access", Map.of("account", Map.of("roles", List.of("view-profile"))))
                .claim("scope", "openid profile email")
                .claim("preferred_username", username)
                .claim("email", username + "@hospital.example")
                .claim("name", username.equals("lcuddy") ? "Lisa Cuddy" : username)
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
                .keyID("kc-1").build(), claims);
        jwt.sign(new RSASSASigner(key.getPrivate()));
        return jwt.serialize();
    }

    @Test
    @DisplayName("external-only: /api/config tells the web UI there is no password sign-in, and the page holds the note it shows instead")
    void noPasswordLoginInTheUi() {
        assertThat(http.get("/api/config", null).body().path("passwordLogin").isBoolean()).isTrue();
        assertThat(http.get("/api/config", null).body().path("passwordLogin").asBoolean()).isFalse();
        assertThat(http.getText("/index.html", null).body()).contains("data-testid=\"external-only-note\"");
        assertThat(http.getText("/js/main.js", null).body()).contains("config.passwordLogin === false");
    }

    @Test
    @DisplayName("a Keycloak-shaped token opens a WebSocket session: ready names the subject as a doctor")
    void websocketReady() throws Exception {
        String token = keycloakToken("carechat");
        try (RawWebSocket socket = RawWebSocket.upgrade(server.wsPort, "/ws", Map.of("Authorization", "Bearer " + token))) {
            JsonNode ready = JSON.readTree(socket.readText());
            assertThat(ready.path("type").asText()).isEqualTo("ready");
            assertThat(ready.path("user").path("id").asText()).isEqualTo(SUBJECT);
            assertThat(ready.path("user").path("roles").toString()).contains("DOCTOR");
        }
    }

    @Test
    @DisplayName("the first token provisions the user from its claims, seen in GET /api/me")
    void provisionedUser() throws Exception {
        Http.Answer me = http.get("/api/me", keycloakToken("carechat"));
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.body().path("user").path("id").asText()).isEqualTo(SUBJECT);
        assertThat(me.body().path("user").path("username").asText()).isEqualTo("lcuddy");
        assertThat(me.body().path("user").path("displayName").asText()).isEqualTo("Lisa Cuddy");
    }

    @Test
    @DisplayName("an admin from the identity provider disables a federated user whose id holds colons, by its percent-encoded id, which revokes that user's token")
    void adminDisablesFederatedUser() throws Exception {
        String federated = "f:8d7f0c43-2c9b-4b5e-a0f1-0e6c2b7d9a11:jwilson";
        String wilson = keycloakToken("carechat", federated, "carechat-patient", "jwilson");
        assertThat(http.get("/api/me", wilson).body().path("user").path("id").asText()).isEqualTo(federated);
        String admin = keycloakToken("carechat", "a1b2c3d4-0000-4000-8000-00000000ad01", "carechat-admin", "itdesk");
        String path = "/api/admin/users/" + java.net.URLEncoder.encode(federated, StandardCharsets.UTF_8) + "/disable";
        Http.Answer disabled = http.post(path, admin, "{}");
        assertThat(disabled.status()).isEqualTo(200);
        assertThat(disabled.body().path("user").path("enabled").asBoolean(true)).isFalse();
        assertThat(http.get("/api/me", wilson).status()).as("the token issued before the disabling is revoked")
                .isEqualTo(401);
    }

    @Test
    @DisplayName("a token for another audience is refused with 401")
    void wrongAudience() throws Exception {
        assertThat(http.get("/api/me", keycloakToken("another-client")).status()).isEqualTo(401);
    }

    @Test
    @DisplayName("external-only: login, refresh and registration answer 403 saying to sign in with the identity provider")
    void ownSignInRefused() {
        Http.Answer login = http.post("/api/auth/login", null,
                Http.json(Map.of("login", "admin", "password", "integration-root-passphrase")));
        assertThat(login.status()).isEqualTo(403);
        assertThat(login.body().toString()).contains("identity provider");
        assertThat(http.post("/api/auth/refresh", null, Http.json(Map.of("refreshToken", "x"))).status())
                .isEqualTo(403);
        assertThat(http.post("/api/auth/register", null, Http.json(Map.of("username", "newbie",
                "email", "newbie@example.org", "password", "a long enough passphrase", "displayName", "New"))).status())
                .isEqualTo(403);
    }
}
