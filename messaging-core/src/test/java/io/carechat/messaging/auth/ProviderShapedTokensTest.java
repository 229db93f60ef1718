package io.carechat.messaging.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.error.UnauthenticatedException;
import io.carechat.messaging.memory.InMemoryAuditSink;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.spi.AuditEvent;
import java.security.KeyPair;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Access tokens shaped as Entra ID, Okta and Keycloak issue them (claims and headers as their
 * public documentation shows), signed with RSA keys that a real JWKS endpoint on loopback serves,
 * each verified with the provider settings a hospital would use for that product.
 */
@DisplayName("Access tokens shaped like Entra ID, Okta and Keycloak ones")
class ProviderShapedTokensTest {

    private static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private static final String ENTRA_ISSUER = "https://login.microsoftonline.com/" + TENANT + "/v2.0";
    private static final String ENTRA_APP = "6e74172b-be56-4843-9ff4-e66a39bb12e3";
    private static final String OKTA_ISSUER = "https://hospital.okta.com/oauth2/default";
    private static final String KEYCLOAK_ISSUER = "http://127.0.0.1:8180/realms/hospital";
    private static final KeyPair KEY_A = TokenForge.RSA_OTHER;
    private static final KeyPair KEY_B = TokenForge.generateRsa();

    private final TestClock clock = new TestClock();
    private final InMemoryAuditSink audit = new InMemoryAuditSink();
    private final LoopbackJwks jwks = LoopbackJwks.start();

    @AfterEach
    void stopJwks() {
        jwks.close();
    }

    private AccessTokens service(ExternalIdentityProvider provider) {
        return AccessTokens.create(TokenSettings.builder()
                .issuer(TokenForge.ISSUER).audience(TokenForge.AUDIENCE)
                .rsaKey("rsa-1", TokenForge.RSA)
                .externalProvider(provider)
                .build(), audit, clock);
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    private static Map<String, Object> header(String typ, String kid) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "RS256");
        if (typ != null) {
            header.put("typ", typ);
        }
        header.put("kid", kid);
        return header;
    }

    // ---- Entra ID ----

    private static ExternalIdentityProvider.Builder entra(LoopbackJwks keys) {
        return ExternalIdentityProvider.builder()
                .issuer(ENTRA_ISSUER)
                .audiences(ENTRA_APP, "api://" + ENTRA_APP)
                .jwksUrl(keys.url())
                .acceptedTypes("JWT")
                .optionalClaims("jti")
                .userIdClaim("oid")
                .rolesClaim("roles")
                .mapRole("CareChat.Doctor", Role.DOCTOR)
                .mapRole("CareChat.Patient", Role.PATIENT)
                .mapRole("CareChat.Admin", Role.ADMIN);
    }

    /** An Entra ID v2.0 access token for an app role assignment: no jti (Entra sends uti). */
    private Map<String, Object> entraClaims(String audience) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("aud", audience);
        claims.put("iss", ENTRA_ISSUER);
        claims.put("iat", now());
        claims.put("nbf", now());
        claims.put("exp", now() + 3_900);
        claims.put("aio", "AWQAm/8TAAAA");
        claims.put("azp", "c44b4083-3bb0-49c1-b47d-974e53cbdf3c");
        claims.put("azpacr", "0");
        claims.put("name", "Dr. Gregory House");
        claims.put("oid", "690222be-ff1a-4d56-abd1-7e4f7d38e474");
        claims.put("preferred_username", "ghouse@hospital.onmicrosoft.com");
        claims.put("rh", "0.ARoAv4j5cvGGr0GRqy180BHbR");
        claims.put("roles", List.of("CareChat.Doctor"));
        claims.put("scp", "Chat.ReadWrite");
        claims.put("sub", "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ");
        claims.put("tid", TENANT);
        claims.put("uti", "fqiBqXLPj0eQa82S-IYFAA");
        claims.put("ver", "2.0");
        return claims;
    }

    @Test
    @DisplayName("Entra ID: a v2.0 token with typ JWT and no jti, for the app id or its api:// URI, maps oid and app roles")
    void entraToken() {
        jwks.publish("entra-1", KEY_A);
        AccessTokens tokens = service(entra(jwks).build());
        for (String audience : List.of(ENTRA_APP, "api://" + ENTRA_APP)) {
            VerifiedAccessToken verified = tokens.authenticate(
                    TokenForge.rs256(header("JWT", "entra-1"), entraClaims(audience), KEY_A.getPrivate()),
                    ClientContext.unknown());
            assertThat(verified.caller().userId().value()).isEqualTo("690222be-ff1a-4d56-abd1-7e4f7d38e474");
            assertThat(verified.caller().roles()).containsExactly(Role.DOCTOR);
            assertThat(verified.jti()).isNull();
        }
        assertThat(audit.events()).isEmpty();
    }

    @Test
    @DisplayName("Entra ID: a token for another application is refused as wrong_audience")
    void entraWrongAudience() {
        jwks.publish("entra-1", KEY_A);
        AccessTokens tokens = service(entra(jwks).build());
        String token = TokenForge.rs256(header("JWT", "entra-1"),
                entraClaims("00000003-0000-0000-c000-000000000000"), KEY_A.getPrivate());
        assertThatThrownBy(() -> tokens.verify(token)).isExactlyInstanceOf(UnauthenticatedException.class);
        assertThat(audit.events()).extracting(AuditEvent::reason).containsExactly("wrong_audience");
    }

    @Test
    @DisplayName("Entra ID: without jti made optional, the same token is refused as missing_claims")
    void entraNeedsJtiOptional() {
        jwks.publish("entra-1", KEY_A);
        AccessTokens tokens = service(entra(jwks).optionalClaims().build());
        String token = TokenForge.rs256(header("JWT", "entra-1"), entraClaims(ENTRA_APP), KEY_A.getPrivate());
        assertThatThrownBy(() -> tokens.verify(token)).isExactlyInstanceOf(UnauthenticatedException.class);
        assertThat(audit.events()).extracting(AuditEvent::reason).containsExactly("missing_claims");
    }

    // ---- Okta ----

    private static ExternalIdentityProvider.Builder okta(LoopbackJwks keys) {
        return ExternalIdentityProvider.builder()
                .issuer(OKTA_ISSUER)
                .audience("api://default")
                .jwksUrl(keys.url())
                .acceptMissingType(true)
                .userIdClaim("uid")
                .rolesClaim("groups")
                .mapRole("CareChat Doctors", Role.DOCTOR)
                .mapRole("CareChat Patients", Role.PATIENT);
    }

    /** An Okta custom authorization server's access token, with a groups claim configured; no typ header. */
    private Map<String, Object> oktaClaims() {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("ver", 1);
        claims.put("jti", "AT.0mP4JKAZX1iACIT4vbEDF7LpvDVjxypPMf0D7uX39RE");
        claims.put("iss", OKTA_ISSUER);
        claims.put("aud", "api://default");
        claims.put("iat", now());
        claims.put("exp", now() + 3_600);
        claims.put("cid", "0oa1b2c3d4e5f6g7h8i9");
        claims.put("uid", "00u1a2b3c4d5e6f7g8h9");
        claims.put("scp", List.of("openid", "profile", "carechat"));
        claims.put("auth_time", now() - 60);
        claims.put("sub", "jane.doe@hospital.example");
        claims.put("groups", List.of("Everyone", "CareChat Patients"));
        return claims;
    }

    @Test
    @DisplayName("Okta: a token without typ header maps uid and the groups claim")
    void oktaToken() {
        jwks.publish("okta-1", KEY_A);
        AccessTokens tokens = service(okta(jwks).build());
        VerifiedAccessToken verified = tokens.authenticate(
                TokenForge.rs256(header(null, "okta-1"), oktaClaims(), KEY_A.getPrivate()), ClientContext.unknown());
        assertThat(verified.caller().userId().value()).isEqualTo("00u1a2b3c4d5e6f7g8h9");
        assertThat(verified.caller().roles()).containsExactly(Role.PATIENT);
        assertThat(verified.jti()).isEqualTo("AT.0mP4JKAZX1iACIT4vbEDF7LpvDVjxypPMf0D7uX39RE");
    }

    @Test
    @DisplayName("Okta: with the e-mail-shaped sub as user id, the caller's id is that subject")
    void oktaEmailSubject() {
        jwks.publish("okta-1", KEY_A);
        AccessTokens tokens = service(okta(jwks).userIdClaim("sub").build());
        Caller caller = tokens.verify(TokenForge.rs256(header(null, "okta-1"), oktaClaims(), KEY_A.getPrivate()));
        assertThat(caller.userId().value()).isEqualTo("jane.doe@hospital.example");
    }

    @Test
    @DisplayName("Okta: a token without typ is refused as wrong_type when a missing typ is not accepted")
    void oktaMissingTypeRefusedByDefault() {
        jwks.publish("okta-1", KEY_A);
        AccessTokens tokens = service(okta(jwks).acceptMissingType(false).build());
        String token = TokenForge.rs256(header(null, "okta-1"), oktaClaims(), KEY_A.getPrivate());
        assertThatThrownBy(() -> tokens.verify(token)).isExactlyInstanceOf(UnauthenticatedException.class);
        assertThat(audit.events()).extracting(AuditEvent::reason).containsExactly("wrong_type");
    }

    @Test
    @DisplayName("Okta: a token for the Okta org audience instead of api://default is refused as wrong_audience")
    void oktaWrongAudience() {
        jwks.publish("okta-1", KEY_A);
        AccessTokens tokens = service(okta(jwks).build());
        Map<String, Object> claims = oktaClaims();
        claims.put("aud", "https://hospital.okta.com");
        String token = TokenForge.rs256(header(null, "okta-1"), claims, KEY_A.getPrivate());
        assertThatThrownBy(() -> tokens.verify(token)).isExactlyInstanceOf(UnauthenticatedException.class);
        assertThat(audit.events()).extracting(AuditEvent::reason).containsExactly("wrong_audience");
    }

    // ---- Keycloak ----

    private static ExternalIdentityProvider.Builder keycloak(LoopbackJwks keys) {
        return ExternalIdentityProvider.builder()
                .issuer(KEYCLOAK_ISSUER)
                .audience("carechat")
                .jwksUrl(keys.url())
                .jwksMinRefetchInterval(Duration.ZERO)
                .acceptedTypes("JWT")
                .rolesClaim("realm_access.roles")
                .mapRole("carechat-doctor", Role.DOCTOR)
                .mapRole("carechat-patient", Role.PATIENT)
                .mapRole("carechat-admin", Role.ADMIN);
    }

    /** A Keycloak access token: typ JWT in the header, typ Bearer as a claim, realm and client roles. */
    private Map<String, Object> keycloakClaims(List<String> realmRoles) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("exp", now() + 300);
        claims.put("iat", now());
        claims.put("jti", "onrtac:4f0f7e5c-0d0a-4a35-9d0e-5b4f0a3c2b1d");
        claims.put("iss", KEYCLOAK_ISSUER);
        claims.put("aud", List.of("carechat", "account"));
        claims.put("sub", "3c9a6e2b-1d4f-4e8a-b5c7-0d2e4f6a8b1c");
        claims.put("typ", "Bearer");
        claims.put("azp", "carechat-web");
        claims.put("sid", "8d7f0c43-2c9b-4b5e-a0f1-0e6c2b7d9a11");
        claims.put("acr", "1");
        claims.put("allowed-origins", List.of("https://chat.hospital.example"));
        claims.put("realm_access", Map.of("roles", realmRoles));
        claims.put("resource_access", Map.of(
                "account", Map.of("roles", List.of("manage-account", "view-profile")),
                "carechat", Map.of("roles", List.of("ward-7-admin"))));
        claims.put("scope", "openid profile email");
        claims.put("email_verified", true);
        claims.put("name", "Lisa Cuddy");
        claims.put("preferred_username", "lcuddy");
        claims.put("given_name", "Lisa");
        claims.put("family_name", "Cuddy");
        claims.put("email", "lcuddy@hospital.example");
        return claims;
    }

    private String keycloakToken(String kid, KeyPair key, List<String> realmRoles) {
        return TokenForge.rs256(header("JWT", kid), keycloakClaims(realmRoles), key.getPrivate());
    }

    @Test
    @DisplayName("Keycloak: realm roles are read from the nested realm_access.roles path")
    void keycloakRealmRoles() {
        jwks.publish("kc-a", KEY_A);
        AccessTokens tokens = service(keycloak(jwks).build());
        Caller caller = tokens.verify(keycloakToken("kc-a", KEY_A,
                List.of("default-roles-hospital", "offline_access", "carechat-doctor")));
        assertThat(caller.userId().value()).isEqualTo("3c9a6e2b-1d4f-4e8a-b5c7-0d2e4f6a8b1c");
        assertThat(caller.roles()).containsExactly(Role.DOCTOR);
    }

    @Test
    @DisplayName("Keycloak: a client's roles are read from resource_access.<client>.roles, together with the realm roles")
    void keycloakClientRoles() {
        jwks.publish("kc-a", KEY_A);
        AccessTokens tokens = service(keycloak(jwks)
                .rolesClaims("realm_access.roles", "resource_access.carechat.roles")
                .mapRole("ward-7-admin", Role.ADMIN).build());
        Caller caller = tokens.verify(keycloakToken("kc-a", KEY_A, List.of("carechat-doctor")));
        assertThat(caller.roles()).containsExactlyInAnyOrder(Role.DOCTOR, Role.ADMIN);
    }

    @Test
    @DisplayName("Keycloak: a token with only default realm roles is refused as no_mapped_role, or gets the default role if one is set")
    void keycloakUnmappedRoles() {
        jwks.publish("kc-a", KEY_A);
        String token = keycloakToken("kc-a", KEY_A, List.of("default-roles-hospital", "offline_access"));
        AccessTokens refusing = service(keycloak(jwks).build());
        assertThatThrownBy(() -> refusing.verify(token)).isExactlyInstanceOf(UnauthenticatedException.class);
        assertThat(audit.events()).extracting(AuditEvent::reason).containsExactly("no_mapped_role");
        AccessTokens defaulting = service(keycloak(jwks).defaultRole(Role.PATIENT).build());
        assertThat(defaulting.verify(token).roles()).containsExactly(Role.PATIENT);
    }

    @Test
    @DisplayName("Keycloak: a token for the account audience only is refused as wrong_audience")
    void keycloakWrongAudience() {
        jwks.publish("kc-a", KEY_A);
        AccessTokens tokens = service(keycloak(jwks).build());
        Map<String, Object> claims = keycloakClaims(List.of("carechat-doctor"));
        claims.put("aud", "account");
        String token = TokenForge.rs256(header("JWT", "kc-a"), claims, KEY_A.getPrivate());
        assertThatThrownBy(() -> tokens.verify(token)).isExactlyInstanceOf(UnauthenticatedException.class);
        assertThat(audit.events()).extracting(AuditEvent::reason).containsExactly("wrong_audience");
    }

    @Test
    @DisplayName("key rotation: a token signed by a new key not yet cached is accepted after the JWKS is fetched again; one signed by the removed key is refused")
    void keyRotation() {
        jwks.publish("kc-a", KEY_A);
        AccessTokens tokens = service(keycloak(jwks).build());
        String oldKeyToken = keycloakToken("kc-a", KEY_A, List.of("carechat-doctor"));
        assertThat(tokens.verify(oldKeyToken).roles()).containsExactly(Role.DOCTOR);
        int fetchesBeforeRotation = jwks.fetches();
        assertThat(fetchesBeforeRotation).isPositive();

        jwks.publish("kc-b", KEY_B);
        assertThat(tokens.verify(keycloakToken("kc-b", KEY_B, List.of("carechat-doctor"))).roles())
                .containsExactly(Role.DOCTOR);
        assertThat(jwks.fetches()).as("the unknown kid made the server fetch the key set again")
                .isGreaterThan(fetchesBeforeRotation);

        assertThatThrownBy(() -> tokens.verify(oldKeyToken)).isExactlyInstanceOf(UnauthenticatedException.class);
        assertThat(audit.events()).extracting(AuditEvent::reason).hasSize(1).first().isNotNull();
    }
}
