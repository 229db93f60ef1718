package io.carechat.spring.boot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.carechat.messaging.error.ConfigurationException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Finds an identity provider's JWKS URL from its issuer, as Spring Security does for a resource
 * server configured with {@code issuer-uri} alone: the OpenID Connect discovery document at
 * {@code <issuer>/.well-known/openid-configuration}, or else the OAuth 2.0 authorization server
 * metadata at {@code <issuer>/.well-known/oauth-authorization-server}; the document's
 * {@code issuer} must be the configured issuer. Fetched once, at start-up, with short timeouts.
 * Stateless.
 */
final class IssuerDiscovery {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final List<String> DOCUMENTS =
            List.of("/.well-known/openid-configuration", "/.well-known/oauth-authorization-server");

    private static final Set<String> LOOPBACK_HOSTS = Set.of("127.0.0.1", "localhost", "[::1]", "::1");

    private IssuerDiscovery() {}

    /**
     * Reads the issuer's JWKS URL.
     *
     * @param issuer the issuer, as its tokens' {@code iss}
     * @return the {@code jwks_uri} of its metadata
     * @throws ConfigurationException naming carechat.identity.jwks-url when no document names one
     */
    static String jwksUrl(String issuer) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        URI location;
        try {
            location = URI.create(base);
        } catch (IllegalArgumentException e) {
            throw failure("the issuer is not a URL, so its metadata cannot be read");
        }
        String scheme = location.getScheme() == null ? "" : location.getScheme().toLowerCase(Locale.ROOT);
        String host = location.getHost() == null ? "" : location.getHost().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(scheme.equals("http") && LOOPBACK_HOSTS.contains(host))) {
            throw failure("the issuer's metadata is read over https only (plain http only on a loopback address)");
        }
        for (String document : DOCUMENTS) {
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base + document))
                        .timeout(TIMEOUT).header("Accept", "application/json").GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    continue;
                }
                JsonNode metadata = new ObjectMapper().readTree(response.body());
                if (!issuer.equals(metadata.path("issuer").asText())) {
                    throw failure("the metadata at " + base + document + " names another issuer");
                }
                String jwksUri = metadata.path("jwks_uri").asText("");
                if (jwksUri.isEmpty()) {
                    throw failure("the metadata at " + base + document + " has no jwks_uri");
                }
                return jwksUri;
            } catch (IOException | IllegalArgumentException e) {
                throw failure("the issuer's metadata could not be read (" + e.getClass().getSimpleName() + ")");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure("interrupted while reading the issuer's metadata");
            }
        }
        throw failure("the issuer publishes no OpenID Connect or OAuth 2.0 metadata");
    }

    private static ConfigurationException failure(String problem) {
        return new ConfigurationException("carechat.identity", List.of(problem
                + "; set carechat.identity.jwks-url or spring.security.oauth2.resourceserver.jwt.jwk-set-uri"));
    }
}
