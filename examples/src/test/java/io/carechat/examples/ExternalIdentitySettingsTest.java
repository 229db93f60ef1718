package io.carechat.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.auth.ExternalIdentityProvider;
import io.carechat.messaging.model.Role;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The demo's CARECHAT_IDP_* and CARECHAT_EXTERNAL_ONLY settings")
class ExternalIdentitySettingsTest {

    private static Map<String, String> keycloak() {
        Map<String, String> env = new HashMap<>();
        env.put("CARECHAT_IDP_ISSUER", "https://sso.hospital.example/realms/hospital");
        env.put("CARECHAT_IDP_JWKS_URL", "https://sso.hospital.example/realms/hospital/protocol/openid-connect/certs");
        env.put("CARECHAT_IDP_AUDIENCE", "carechat, carechat-web");
        env.put("CARECHAT_IDP_TOKEN_TYPES", "JWT,none");
        env.put("CARECHAT_IDP_OPTIONAL_CLAIMS", "iat");
        env.put("CARECHAT_IDP_ROLES_CLAIM", "realm_access.roles,resource_access.carechat.roles");
        env.put("CARECHAT_IDP_ROLE_MAP", "carechat-doctor:DOCTOR,carechat-patient:patient");
        env.put("CARECHAT_IDP_DEFAULT_ROLE", "PATIENT");
        env.put("CARECHAT_IDP_PROVISION_USERS", "true");
        env.put("CARECHAT_EXTERNAL_ONLY", "true");
        return env;
    }

    @Test
    @DisplayName("without an issuer there is no provider, and the server issues its own tokens")
    void noProviderByDefault() {
        ExternalIdentity identity = ServerConfig.parse(new String[0], Map.of()).externalIdentity();
        assertThat(identity.provider()).isEmpty();
        assertThat(identity.externalOnly()).isFalse();
    }

    @Test
    @DisplayName("a Keycloak configuration builds the provider with each setting applied")
    void keycloakProvider() {
        ExternalIdentity identity = ServerConfig.parse(new String[0], keycloak()).externalIdentity();
        assertThat(identity.externalOnly()).isTrue();
        ExternalIdentityProvider provider = identity.provider().orElseThrow();
        assertThat(provider.issuer()).isEqualTo("https://sso.hospital.example/realms/hospital");
        assertThat(provider.audiences()).containsExactly("carechat", "carechat-web");
        assertThat(provider.acceptsMissingType()).isTrue();
        assertThat(provider.optionalClaims()).containsExactly("iat");
        assertThat(provider.rolesClaims()).containsExactly("realm_access.roles", "resource_access.carechat.roles");
        assertThat(provider.roleMapping()).containsExactlyInAnyOrderEntriesOf(
                Map.of("carechat-doctor", Role.DOCTOR, "carechat-patient", Role.PATIENT));
        assertThat(provider.defaultRole()).contains(Role.PATIENT);
        assertThat(provider.provisioning()).isPresent();
    }

    @Test
    @DisplayName("bad values are refused, each problem naming its setting")
    void badValuesNameTheirSetting() {
        Map<String, String> env = keycloak();
        env.put("CARECHAT_IDP_ROLE_MAP", "carechat-doctor=DOCTOR");
        env.put("CARECHAT_IDP_DEFAULT_ROLE", "NURSE");
        env.remove("CARECHAT_IDP_AUDIENCE");
        assertThatThrownBy(() -> ServerConfig.parse(new String[0], env))
                .isInstanceOf(ServerConfig.InvalidSettingException.class)
                .hasMessageContaining("CARECHAT_IDP_ROLE_MAP")
                .hasMessageContaining("CARECHAT_IDP_DEFAULT_ROLE")
                .hasMessageContaining("CARECHAT_IDP_AUDIENCE");
    }

    @Test
    @DisplayName("an issuer without a JWKS URL, and external-only without an issuer, are refused")
    void missingPieces() {
        assertThatThrownBy(() -> ServerConfig.parse(new String[0], Map.of("CARECHAT_IDP_ISSUER", "https://idp.example")))
                .isInstanceOf(ServerConfig.InvalidSettingException.class)
                .hasMessageContaining("CARECHAT_IDP_JWKS_URL");
        assertThatThrownBy(() -> ServerConfig.parse(new String[0], Map.of("CARECHAT_EXTERNAL_ONLY", "true")))
                .isInstanceOf(ServerConfig.InvalidSettingException.class)
                .hasMessageContaining("CARECHAT_EXTERNAL_ONLY").hasMessageContaining("CARECHAT_IDP_ISSUER");
    }
}
