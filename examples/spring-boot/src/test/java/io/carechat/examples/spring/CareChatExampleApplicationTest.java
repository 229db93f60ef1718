package io.carechat.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.ReceiptKind;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.protocol.MessageView;
import io.carechat.messaging.protocol.ServerFrame;
import io.carechat.messaging.websocket.client.CareChatClient;
import io.carechat.messaging.websocket.client.CareChatListener;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Runs the example application on a random port, on a fresh schema of the real PostgreSQL, with
 * a loopback identity provider serving its keys over a real JWKS endpoint, and drives it through
 * the wire contract over real sockets: two users authenticate with the provider's tokens (and are
 * provisioned on first use), a patient writes to a doctor, the doctor gets the message live and
 * reads it, the patient gets the read receipt; a token the provider never signed is refused with
 * 4401. Skipped with a message without {@code CARECHAT_TEST_POSTGRES_URL}, unless
 * {@code CARECHAT_REQUIRE_POSTGRES=1}.
 */
@ExtendWith(PostgresSchema.Condition.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@DisplayName("The Spring Boot example serves CareChat's wire contract on its own port")
class CareChatExampleApplicationTest {

    private static final String DOCTOR = "f1d2c3b4-doctor-grey";
    private static final String PATIENT = "auth0|5f7c8ec7c33c6c004bbafe82";
    private static final int TIMEOUT_SECONDS = 20;

    private static LoopbackIssuer issuer;
    private static PostgresSchema schema;

    @LocalServerPort
    int port;

    @BeforeAll
    static void startIssuerAndSchema() {
        schema = PostgresSchema.create();
        issuer = LoopbackIssuer.start();
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> schema.url());
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", () -> issuer.issuer());
        registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", () -> issuer.jwksUrl());
        registry.add("management.endpoint.health.show-details", () -> "always");
        registry.add("carechat.encryption.keys", () -> "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
    }

    /**
     * Drops the schema, ending the application's sessions first. JUnit runs this before Spring
     * closes the context (after the class), so the pool and the event bus find their sessions ended.
     */
    @AfterAll
    static void dropSchema() throws SQLException {
        if (issuer != null) {
            issuer.close();
        }
        if (schema != null) {
            schema.drop();
        }
    }

    @Test
    @DisplayName("Two users signed in at the hospital's provider message each other live, with a read receipt")
    void twoUsersMessageEachOther() throws Exception {
        CompletableFuture<MessageView> doctorGot = new CompletableFuture<>();
        CompletableFuture<ServerFrame.Receipt> patientSawRead = new CompletableFuture<>();
        try (CareChatClient doctor = client(issuer.token(DOCTOR, "dr.grey", "DOCTOR"), new CareChatListener() {
                    @Override
                    public void onMessage(MessageView message) {
                        doctorGot.complete(message);
                    }
                });
                CareChatClient patient = client(issuer.token(PATIENT, "sam", "PATIENT"), new CareChatListener() {
                    @Override
                    public void onReceipt(ServerFrame.Receipt receipt) {
                        if (receipt.kind() == ReceiptKind.READ) {
                            patientSawRead.complete(receipt);
                        }
                    }
                })) {
            ServerFrame.Ready doctorReady = doctor.connect().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            ServerFrame.Ready patientReady = patient.connect().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertThat(doctorReady.userId()).isEqualTo(UserId.of(DOCTOR));
            assertThat(patientReady.userId()).isEqualTo(UserId.of(PATIENT));

            Conversation chat = patient.open(UserId.of(DOCTOR)).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            MessageView sent = patient.send(chat.id(), "My results came in.").get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

            MessageView received = doctorGot.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertThat(received.body()).isEqualTo("My results came in.");
            assertThat(received.senderId()).isEqualTo(UserId.of(PATIENT));
            assertThat(received.seq()).isEqualTo(sent.seq());
            assertThat(unread(issuer.token(DOCTOR, "dr.grey", "DOCTOR"))).isEqualTo(1);

            doctor.read(chat.id(), received.seq()).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            ServerFrame.Receipt receipt = patientSawRead.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertThat(receipt.userId()).isEqualTo(UserId.of(DOCTOR));
            assertThat(receipt.seq()).isEqualTo(sent.seq());
            assertThat(unread(issuer.token(DOCTOR, "dr.grey", "DOCTOR"))).isZero();
        }
    }

    @Test
    @DisplayName("A token signed with a key the provider never published is refused with 4401")
    void forgedTokenIsRefused() throws Exception {
        CompletableFuture<Integer> closeCode = new CompletableFuture<>();
        try (CareChatClient intruder = client(issuer.forgedToken(PATIENT, "sam", "PATIENT"), new CareChatListener() {
            @Override
            public void onDisconnected(int code, String reason) {
                closeCode.complete(code);
            }
        })) {
            assertThat(intruder.connect()).failsWithin(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertThat(closeCode.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isEqualTo(4401);
        }
    }

    @Test
    @DisplayName("Actuator's health shows CareChat's storage, event bus and hub up")
    void healthShowsCareChat() throws Exception {
        HttpResponse<String> health = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        JsonNode components = new ObjectMapper().readTree(health.body()).path("components");
        for (String name : List.of("carechatStorage", "carechatEventBus", "carechatHub")) {
            assertThat(components.path(name).path("status").asText()).as(name).isEqualTo("UP");
        }
        assertThat(components.path("carechatEventBus").path("details").path("kind").asText()).isEqualTo("postgresql");
    }

    private CareChatClient client(String token, CareChatListener listener) {
        return CareChatClient.builder()
                .uri(URI.create("ws://127.0.0.1:" + port + "/ws"))
                .tokenSupplier(() -> token)
                .reconnect(false)
                .listener(listener)
                .build();
    }

    private long unread(String token) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/unread"))
                        .header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET /api/unread: %s", response.headers().firstValue("WWW-Authenticate"))
                .isEqualTo(200);
        return Long.parseLong(response.body().replaceAll("[^0-9]", ""));
    }
}
