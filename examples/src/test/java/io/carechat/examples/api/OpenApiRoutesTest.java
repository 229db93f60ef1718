package io.carechat.examples.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.carechat.examples.http.AddressRateLimiter;
import io.carechat.examples.http.Router;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.carechat.examples.http.SecurityHeaders;
import io.carechat.messaging.Messaging;
import io.carechat.messaging.auth.PasswordHasher;
import io.carechat.messaging.auth.TokenSettings;
import io.carechat.messaging.crypto.StaticKeyProvider;
import io.carechat.messaging.memory.InMemoryAuditSink;
import io.carechat.messaging.memory.InMemoryEventBus;
import io.carechat.messaging.memory.InMemoryStorage;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The routes the demo server serves, taken from its {@link Router}'s own table, against the
 * operations of its OpenAPI document, in both directions.
 */
class OpenApiRoutesTest {

    @Test
    @DisplayName("every route the router serves is in the OpenAPI document, and every documented operation is served")
    void routesAndDocumentAgree() throws Exception {
        Set<String> served = servedRoutes();
        Set<String> documented = new TreeSet<>();
        for (OpenApiContract.Operation op : OpenApiContract.get().operations()) {
            documented.add(op.method() + " " + op.shape());
        }

        Set<String> undocumented = new TreeSet<>(served);
        undocumented.removeAll(documented);
        Set<String> unserved = new TreeSet<>(documented);
        unserved.removeAll(served);

        assertThat(undocumented).as("served routes missing from the OpenAPI document").isEmpty();
        assertThat(unserved).as("documented operations the server does not serve").isEmpty();
        assertThat(served).hasSizeGreaterThan(30);
    }

    @Test
    @DisplayName("the document is OpenAPI 3.1 with a bearer JWT scheme, an error body, and an answer for each operation")
    void documentIsComplete() throws Exception {
        JsonNode doc;
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(OpenApiDocument.RESOURCE)) {
            doc = new ObjectMapper().readTree(in);
        }
        assertThat(doc.path("openapi").asText()).startsWith("3.1.");
        JsonNode bearer = doc.path("components").path("securitySchemes").path("bearerJwt");
        assertThat(bearer.path("scheme").asText()).isEqualTo("bearer");
        assertThat(bearer.path("bearerFormat").asText()).isEqualTo("JWT");
        assertThat(doc.path("components").path("schemas").has("Error")).isTrue();
        for (OpenApiContract.Operation op : OpenApiContract.get().operations()) {
            assertThat(op.node().path("responses").size()).as(op.method() + " " + op.template()).isGreaterThan(1);
            assertThat(op.node().path("responses").has("default")).as(op.method() + " " + op.template()).isTrue();
        }
    }

    @Test
    @DisplayName("swagger-parser reads the document as OpenAPI 3.1 and finds nothing that breaks the specification")
    void documentKeepsTheSpecification() throws Exception {
        String text;
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(OpenApiDocument.RESOURCE)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(text, null, options);
        assertThat(result.getMessages()).isEmpty();
        assertThat(result.getOpenAPI().getSpecVersion()).isEqualTo(SpecVersion.V31);
        assertThat(result.getOpenAPI().getPaths()).hasSizeGreaterThan(30);
    }

    @Test
    @DisplayName("the validator names the route and the violation when an answer breaks the document")
    void validatorReportsViolations() {
        OpenApiContract contract = OpenApiContract.get();
        assertThat(contract.violations("GET", "/api/me", null, null, 200, "application/json",
                "{\"user\":{\"id\":\"u1\",\"username\":\"sam\",\"email\":\"s@x.example\",\"displayName\":\"Sam\","
                        + "\"roles\":[\"PATIENT\"],\"enabled\":true}}")).isEmpty();
        assertThat(contract.violations("GET", "/api/me", null, null, 200, "application/json",
                "{\"user\":{\"id\":\"u1\",\"username\":\"sam\",\"displayName\":\"Sam\",\"roles\":[\"KING\"],"
                        + "\"enabled\":true}}"))
                .singleElement().asString().startsWith("GET /api/me answer 200").contains("roles");
        assertThat(contract.violations("POST", "/api/conversations/c1/read", "application/json", "{\"seq\":\"x\"}", 200,
                "application/json", "{\"conversationId\":\"c1\",\"readSeq\":1,\"count\":0,\"total\":0}"))
                .singleElement().asString().startsWith("POST /api/conversations/{conversationId}/read request");
        assertThat(contract.violations("GET", "/api/nowhere", null, null, 200, "application/json", "{}"))
                .singleElement().asString().contains("not in the OpenAPI document");
        assertThat(contract.violations("GET", "/api/me", null, null, 401, "application/json",
                "{\"error\":{\"code\":\"unauthenticated\"}}")).singleElement().asString().contains("message");
    }

    private static Set<String> servedRoutes() {
        byte[] secret = "a test secret of at least thirty-two bytes".getBytes(StandardCharsets.UTF_8);
        InMemoryStorage storage = new InMemoryStorage();
        try (InMemoryEventBus bus = new InMemoryEventBus();
                Messaging messaging = Messaging.builder().storage(storage).eventBus(bus)
                        .auditSink(new InMemoryAuditSink()).keyProvider(StaticKeyProvider.generate("k1"))
                        .passwordHasher(PasswordHasher.argon2id(64, 1, 1))
                        .tokens(TokenSettings.builder().issuer("https://carechat.test").audience("carechat")
                                .hmacSecret("k1", secret).build())
                        .build()) {
            Router router = HttpApi.router(messaging, storage.users(),
                    new HttpApi.ClientConfig("ws://localhost/ws", 8000, 1024, 900, 15, 900, true), () -> true, 1024,
                    List.of(), new SecurityHeaders("ws://localhost/ws", false), new AddressRateLimiter(10),
                    new AddressRateLimiter(10));
            // the operations routes the server adds beside the API (ServerNode)
            new MetricsApi(messaging, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)).register(router);
            new HealthApi(() -> true, () -> true, () -> true).register(router);
            JobsApi.register(router, messaging, List::of);
            Set<String> served = new TreeSet<>();
            for (Router.RouteTemplate route : router.routeTemplates()) {
                served.add(route.method() + " " + OpenApiContract.normalised(route.template()));
            }
            return served;
        }
    }
}
