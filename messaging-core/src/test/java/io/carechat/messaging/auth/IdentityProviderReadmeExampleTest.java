package io.carechat.messaging.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.model.Role;
import java.net.URI;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The README's identity provider example ("Your identity provider"), compiled and run. */
@DisplayName("The README's identity provider example builds")
class IdentityProviderReadmeExampleTest {

    @Test
    @DisplayName("a Keycloak provider with nested realm roles and provisioning, in external-only mode")
    void readmeExample() {
        // README-SNIPPET-START
        ExternalIdentityProvider keycloak = ExternalIdentityProvider.builder()
                .issuer("https://sso.hospital.example/realms/hospital")
                .audience("carechat")                                   // the client the tokens are for
                .jwksUrl(URI.create("https://sso.hospital.example/realms/hospital/protocol/openid-connect/certs"))
                .acceptedTypes("JWT")                                   // Keycloak's header typ
                .rolesClaim("realm_access.roles")                       // a dotted path into nested claims
                .mapRole("carechat-doctor", Role.DOCTOR).mapRole("carechat-patient", Role.PATIENT)
                .provisioning(JustInTimeProvisioning.standard())        // optional: create users on first token
                .build();
        TokenSettings tokens = TokenSettings.builder().issuer("https://chat.hospital.example").audience("carechat")
                .externalOnly().externalProvider(keycloak).build();
        // README-SNIPPET-END
        assertThat(tokens.issuesTokens()).isFalse();
        assertThat(tokens.externalProviders()).containsExactly(keycloak);
        assertThat(keycloak.rolesClaims()).containsExactly("realm_access.roles");
        assertThat(keycloak.provisioning()).contains(JustInTimeProvisioning.standard());
    }
}
