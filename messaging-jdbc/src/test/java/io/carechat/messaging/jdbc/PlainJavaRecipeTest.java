package io.carechat.messaging.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.carechat.messaging.Messaging;
import io.carechat.messaging.auth.ClientContext;
import io.carechat.messaging.auth.ExternalIdentityProvider;
import io.carechat.messaging.auth.JustInTimeProvisioning;
import io.carechat.messaging.auth.TokenSettings;
import io.carechat.messaging.crypto.EnvironmentKeyProvider;
import io.carechat.messaging.error.UnauthenticatedException;
import io.carechat.messaging.memory.InMemoryEventBus;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.SendRequest;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.EventBus;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The README's plain-Java recipe ("Plain Java on your own database and identity provider"),
 * compiled and run: CareChat on the application's own data source (an H2 database here), with the
 * hospital's identity provider served from a real JWKS endpoint on loopback, whose tokens sign in
 * a patient and a doctor who are provisioned on first use.
 */
@DisplayName("The README's plain-Java recipe runs on the application's own database and identity provider")
class PlainJavaRecipeTest {

    private static final String KEYS = "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    private static final Pattern SNIPPET =
            Pattern.compile("// --- README: [^\\n]*---\\n(.*?)\\n\\s*// --- end README ---", Pattern.DOTALL);

    private HttpServer jwksServer;
    private RSAKey signingKey;
    private String issuer;
    private URI jwksUrl;
    private DataSource dataSource;

    @BeforeEach
    void startIdentityProvider() throws IOException, JOSEException {
        signingKey = new RSAKeyGenerator(2048).keyID("sso-1").generate();
        byte[] jwks = new JWKSet(signingKey.toPublicJWK()).toString(true).getBytes(StandardCharsets.UTF_8);
        jwksServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwksServer.createContext("/certs", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            exchange.getResponseBody().write(jwks);
            exchange.close();
        });
        jwksServer.start();
        issuer = "http://127.0.0.1:" + jwksServer.getAddress().getPort() + "/realms/hospital";
        jwksUrl = URI.create("http://127.0.0.1:" + jwksServer.getAddress().getPort() + "/certs");
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:recipe-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        dataSource = h2;
    }

    @AfterEach
    void stopIdentityProvider() {
        jwksServer.stop(0);
    }

    @Test
    @DisplayName("Two users signed in at the hospital's provider are provisioned and message each other; a forged token is refused")
    void recipeRuns() throws Exception {
        String doctorToken = token("dr-grey-oid", "dr.grey", "DOCTOR", signingKey);
        String patientToken = token("auth0|5f7c8ec7c33c6c004bbafe82", "sam", "PATIENT", signingKey);

        // --- README: plain Java on your own database and identity provider ---
        JdbcStorage storage = JdbcStorage.builder(dataSource).build();   // your pool; CareChat's tables are migrated
        EventBus bus = new InMemoryEventBus();                           // one node; PostgresEventBus for several
        ExternalIdentityProvider hospitalSso = ExternalIdentityProvider.builder()
                .issuer(issuer)
                .audience("carechat")
                .jwksUrl(jwksUrl)                                        // fetched, cached, fetched again for a new kid
                .provisioning(JustInTimeProvisioning.standard())         // users appear on their first token
                .build();
        Messaging messaging = Messaging.builder().storage(storage).eventBus(bus)
                .auditSink(storage.auditTrail()).attachmentStore(storage.attachments())
                .keyProvider(EnvironmentKeyProvider.parse(KEYS))         // or .fromEnvironment(): CARECHAT_KEYS
                .tokens(TokenSettings.builder().issuer("https://chat.hospital.example").audience("carechat")
                        .externalOnly().externalProvider(hospitalSso).build())
                .build();

        Caller doctor = messaging.tokens().verify(doctorToken, ClientContext.fromAddress("203.0.113.7"));
        Caller patient = messaging.tokens().verify(patientToken, ClientContext.fromAddress("198.51.100.4"));
        Conversation chat = messaging.openDirect(patient, doctor.userId());
        messaging.send(patient, SendRequest.text(chat.id(), "msg-1", "My results came in."));
        long unread = messaging.unread(doctor).total(); // 1
        // --- end README ---

        try {
            assertThat(doctor.userId()).isEqualTo(UserId.of("dr-grey-oid"));
            assertThat(doctor.hasRole(Role.DOCTOR)).isTrue();
            assertThat(patient.userId()).isEqualTo(UserId.of("auth0|5f7c8ec7c33c6c004bbafe82"));
            assertThat(unread).isEqualTo(1);
            assertThat(messaging.history(doctor, chat.id(), null, null).messages())
                    .singleElement().satisfies(m -> assertThat(m.body()).isEqualTo("My results came in."));
            RSAKey forger = new RSAKeyGenerator(2048).keyID("sso-1").generate();
            String forged = token("dr-grey-oid", "dr.grey", "DOCTOR", forger);
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> messaging.tokens().verify(forged, ClientContext.unknown()))
                    .isInstanceOf(UnauthenticatedException.class);
        } finally {
            // --- README: close, the pool last and yours ---
            messaging.close();
            bus.close();
            storage.close();
            // --- end README ---
        }
    }

    @Test
    @DisplayName("Every snippet the README quotes from this test is there word for word")
    void readmeQuotesThisRecipe() throws IOException {
        String readme = normalized(Files.readString(Path.of("../README.md")));
        Matcher m = SNIPPET.matcher(Files.readString(
                Path.of("src/test/java/io/carechat/messaging/jdbc/PlainJavaRecipeTest.java")));
        int found = 0;
        while (m.find()) {
            assertThat(readme).contains(normalized(m.group(1)));
            found++;
        }
        assertThat(found).isEqualTo(2);
    }

    private String token(String subject, String username, String role, RSAKey key) throws JOSEException {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer).audience("carechat").subject(subject)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofMinutes(10))))
                .jwtID(UUID.randomUUID().toString())
                .claim("roles", List.of(role))
                .claim("preferred_username", username)
                .claim("email", username + "@hospital.example")
                .claim("name", username)
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256)
                .type(new JOSEObjectType("at+jwt")).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    /** Each line trimmed, so indentation does not count. */
    private static String normalized(String text) {
        return text.lines().map(String::trim).collect(Collectors.joining("\n"));
    }
}
