package io.carechat.examples.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.carechat.examples.http.ApiResponse;
import io.carechat.examples.http.AddressRateLimiter;
import io.carechat.examples.http.Router;
import io.carechat.examples.http.SecurityHeaders;
import io.carechat.messaging.Messaging;
import io.carechat.messaging.protocol.ProtocolCodec;
import io.carechat.messaging.spi.UserStore;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Assembles the demo server's HTTP API on a {@link Router}, as docs/protocol.md describes it and
 * {@link OpenApiDocument} publishes it.
 * Thread-safe once built.
 */
public final class HttpApi {
    private HttpApi() {}

    /**
     * What the web UI reads from {@code /api/config}.
     *
     * @param wsUrl the WebSocket URL
     * @param maxBodyChars the longest message body
     * @param maxAttachmentBytes the largest attachment
     * @param accessTokenTtlSeconds access token lifetime
     * @param passwordMinLength the shortest password accepted
     * @param recallWindowSeconds how long after sending a sender may recall a message
     * @param passwordLogin whether users sign in here with a password; false in external-only
     *     identity mode, where tokens come from the hospital's identity provider only and the web UI
     *     hides its sign-in form and says why
     */
    public record ClientConfig(String wsUrl, int maxBodyChars, long maxAttachmentBytes, long accessTokenTtlSeconds,
            int passwordMinLength, long recallWindowSeconds, boolean passwordLogin) {}

    /**
     * Builds the router with every endpoint.
     *
     * @param messaging the facade, with accounts and tokens configured
     * @param users the user store, to show the names of role request askers
     * @param clientConfig what {@code /api/config} answers
     * @param databaseUp tells whether the database answers, for {@code /health}
     * @param maxJsonBytes the largest JSON body
     * @param corsOrigins origins allowed to call from other sites
     * @param securityHeaders the headers every answer carries
     * @param registrations the per-address budget of registrations
     * @param unauthenticated the per-address budget of unauthenticated requests (logins, refreshes,
     *     registrations and every request that ends 401)
     * @return the router
     */
    public static Router router(Messaging messaging, UserStore users, ClientConfig clientConfig, BooleanSupplier databaseUp,
            int maxJsonBytes, List<String> corsOrigins, SecurityHeaders securityHeaders, AddressRateLimiter registrations,
            AddressRateLimiter unauthenticated) {
        ObjectMapper json = new ObjectMapper();
        Router router = new Router(json, maxJsonBytes, corsOrigins, securityHeaders, unauthenticated);
        Authenticator auth = new Authenticator(messaging.tokens());
        new AccountApi(messaging.accounts(), auth, registrations,
                messaging.tokens().settings().issuesTokens()).register(router);
        new ConversationApi(messaging, auth, ProtocolCodec.withDefaults()).register(router);
        new AdminApi(messaging.accounts(), users, auth).register(router);
        new DirectoryApi(messaging.accounts().directory(), auth).register(router);
        new AuditApi(messaging, auth).register(router);
        new AttachmentApi(messaging, auth, clientConfig.maxAttachmentBytes()).register(router);
        new ClinicalAccessApi(messaging, auth).register(router);
        new EscalationApi(messaging, users, auth).register(router);
        router.route("GET", "/api/config", request -> ApiResponse.ok(clientConfig));
        router.route("GET", "/api/openapi.json", OpenApiDocument.load().handler());
        router.route("GET", "/health", request -> {
            boolean up = databaseUp.getAsBoolean();
            return new ApiResponse(up ? 200 : 503,
                    Map.of("status", up ? "UP" : "DOWN", "checks", Map.of("database", up ? "UP" : "DOWN")), null, null);
        });
        router.route("GET", "/.well-known/jwks.json", request -> ApiResponse.bytes(
                messaging.tokens().jwksJson().getBytes(StandardCharsets.UTF_8), "application/jwk-set+json"));
        return router;
    }
}
