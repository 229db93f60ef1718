package io.carechat.messaging.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import io.carechat.messaging.memory.InMemoryAuditSink;
import io.carechat.messaging.memory.InMemoryStorage;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.UserStore;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Just-in-time provisioning of an identity provider's users")
class JustInTimeProvisioningTest {

    private static final String IDP = "http://127.0.0.1:8180/realms/hospital";
    private static final String SUBJECT = "3c9a6e2b-1d4f-4e8a-b5c7-0d2e4f6a8b1c";

    private final TestClock clock = new TestClock();
    private final InMemoryAuditSink audit = new InMemoryAuditSink();
    private final UserStore users = new InMemoryStorage().users();

    private static ExternalIdentityProvider.Builder provider() {
        return ExternalIdentityProvider.builder()
                .issuer(IDP).audience("carechat").acceptedTypes("JWT")
                .jwks(new JWKSet(new RSAKey.Builder((RSAPublicKey) TokenForge.RSA_OTHER.getPublic())
                        .keyID("kc-1").build()).toString(true))
                .rolesClaim("realm_access.roles")
                .mapRole("carechat-doctor", Role.DOCTOR)
                .mapRole("carechat-patient", Role.PATIENT);
    }

    private AccessTokens service(ExternalIdentityProvider provider) {
        return AccessTokens.create(TokenSettings.builder()
                        .issuer(TokenForge.ISSUER).audience(TokenForge.AUDIENCE)
                        .externalOnly().externalProvider(provider).build(),
                audit, clock, TokenRevocations.none(), null, users);
    }

    private String token(String subject, String username, String email, String name) {
        long now = clock.instant().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("exp", now + 300);
        claims.put("iat", now);
        claims.put("jti", "kc-" + subject);
        claims.put("iss", IDP);
        claims.put("aud", "carechat");
        claims.put("sub", subject);
        claims.put("typ", "Bearer");
        claims.put("realm_access", Map.of("roles", List.of("carechat-doctor", "offline_access")));
        claims.put("preferred_username", username);
        claims.put("email", email);
        claims.put("name", name);
        Map<String, Object> header = TokenForge.header("RS256", "kc-1");
        header.put("typ", "JWT");
        return TokenForge.rs256(header, claims, TokenForge.RSA_OTHER.getPrivate());
    }

    private List<AuditEvent> provisioned() {
        return audit.events().stream().filter(e -> e.action().equals("user.provisioned")).toList();
    }

    @Test
    @DisplayName("the first valid token of an unknown subject creates the user from its claims and mapped roles, audited once")
    void firstTokenCreatesUser() {
        AccessTokens tokens = service(provider().provisioning(JustInTimeProvisioning.standard()).build());
        String token = token(SUBJECT, "lcuddy", "lcuddy@hospital.example", "Lisa Cuddy");
        tokens.verify(token);
        tokens.verify(token);

        User user = users.find(UserId.of(SUBJECT)).orElseThrow();
        assertThat(user.username()).isEqualTo("lcuddy");
        assertThat(user.email()).isEqualTo("lcuddy@hospital.example");
        assertThat(user.displayName()).isEqualTo("Lisa Cuddy");
        assertThat(user.roles()).containsExactly(Role.DOCTOR);
        assertThat(user.enabled()).isTrue();
        assertThat(users.findCredentials("lcuddy").orElseThrow().passwordHash())
                .as("no password: the user signs in only through the provider").doesNotStartWith("$argon2");
        assertThat(provisioned()).singleElement().satisfies(e -> {
            assertThat(e.actorId()).isEqualTo(UserId.of(SUBJECT));
            assertThat(e.objectId()).isEqualTo(SUBJECT);
            assertThat(e.outcome()).isEqualTo(AuditEvent.Outcome.SUCCESS);
        });
    }

    @Test
    @DisplayName("two first requests at once create one user and one audit event")
    void concurrentFirstRequestsCreateOneUser() throws Exception {
        AccessTokens tokens = service(provider().provisioning(JustInTimeProvisioning.standard()).build());
        String token = token(SUBJECT, "lcuddy", "lcuddy@hospital.example", "Lisa Cuddy");
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<UserId>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return tokens.verify(token).userId();
                }));
            }
            start.countDown();
            for (Future<UserId> result : results) {
                assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(UserId.of(SUBJECT));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(users.count()).isEqualTo(1);
        assertThat(provisioned()).hasSize(1);
    }

    @Test
    @DisplayName("a username or e-mail address another user holds, or a malformed one, is replaced by one derived from the subject")
    void takenOrMalformedClaimsAreReplaced() {
        users.create(new User(UserId.random(), "lcuddy", "lcuddy@hospital.example", "Someone else",
                Set.of(Role.PATIENT), true, clock.instant()), "hash");
        AccessTokens tokens = service(provider().provisioning(JustInTimeProvisioning.standard()).build());
        tokens.verify(token(SUBJECT, "lcuddy", "lcuddy@hospital.example", "Lisa Cuddy"));
        User user = users.find(UserId.of(SUBJECT)).orElseThrow();
        assertThat(user.username()).matches("user-[0-9a-f]{10}");
        assertThat(user.email()).isEqualTo(user.username() + "@users.invalid");
        assertThat(user.displayName()).isEqualTo("Lisa Cuddy");

        tokens.verify(token("auth0|5f7c8ec7c33c6c004bbafe82", "not a username!", "not-an-email", " "));
        User other = users.find(UserId.of("auth0|5f7c8ec7c33c6c004bbafe82")).orElseThrow();
        assertThat(other.username()).matches("user-[0-9a-f]{10}").isNotEqualTo(user.username());
        assertThat(other.displayName()).isEqualTo(other.username());
    }

    @Test
    @DisplayName("an e-mail-shaped preferred_username (as Entra ID sends it) gives its local part as the username")
    void emailShapedUsername() {
        AccessTokens tokens = service(provider().provisioning(JustInTimeProvisioning.standard()).build());
        tokens.verify(token(SUBJECT, "ghouse@hospital.onmicrosoft.com", "ghouse@hospital.example", "Dr. House"));
        assertThat(users.find(UserId.of(SUBJECT)).orElseThrow().username()).isEqualTo("ghouse");
    }

    @Test
    @DisplayName("later tokens do not change the stored user's roles")
    void laterTokensKeepStoredRoles() {
        AccessTokens tokens = service(provider().provisioning(JustInTimeProvisioning.standard()).build());
        tokens.verify(token(SUBJECT, "lcuddy", "lcuddy@hospital.example", "Lisa Cuddy"));
        users.setRoles(UserId.of(SUBJECT), Set.of(Role.DOCTOR, Role.ADMIN));
        tokens.verify(token(SUBJECT, "lcuddy", "lcuddy@hospital.example", "Lisa Cuddy"));
        assertThat(users.find(UserId.of(SUBJECT)).orElseThrow().roles()).containsExactlyInAnyOrder(Role.DOCTOR, Role.ADMIN);
        assertThat(provisioned()).hasSize(1);
    }

    @Test
    @DisplayName("without provisioning, a valid token creates no user")
    void offByDefault() {
        AccessTokens tokens = service(provider().build());
        tokens.verify(token(SUBJECT, "lcuddy", "lcuddy@hospital.example", "Lisa Cuddy"));
        assertThat(users.count()).isZero();
        assertThat(provisioned()).isEmpty();
    }
}
