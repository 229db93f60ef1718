package io.carechat.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.carechat.examples.api.OpenApiContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A small JSON client for the demo server's HTTP API in tests. Every exchange is checked against
 * the server's OpenAPI document ({@link OpenApiContract}): a request the server took or an answer
 * that breaks it fails the test with an {@link AssertionError} naming the route and the violation.
 * Thread-safe.
 */
final class Http {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;

    /** A status and the parsed JSON body (null when empty). */
    record Answer(int status, JsonNode body, String contentType, java.net.http.HttpHeaders headers) {
        String errorCode() {
            return body == null ? null : body.path("error").path("code").asText(null);
        }
    }

    Http(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    Answer get(String path, String token) {
        return send(builder(path, token).GET(), path, null, null);
    }

    Answer getWithHeaders(String path, String token, java.util.Map<String, String> headers) {
        HttpRequest.Builder request = builder(path, token).GET();
        headers.forEach(request::header);
        return send(request, path, null, null);
    }

    Answer post(String path, String token, String json) {
        return send(builder(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), path, "application/json", json);
    }

    Answer put(String path, String token, String json) {
        return send(builder(path, token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)), path, "application/json", json);
    }

    Answer delete(String path, String token) {
        return send(builder(path, token).DELETE(), path, null, null);
    }

    Answer postRaw(String path, String token, String contentType, byte[] body) {
        return send(builder(path, token).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)), path, contentType, null);
    }

    Answer postWithoutContentType(String path, byte[] body) {
        return send(builder(path, null).POST(HttpRequest.BodyPublishers.ofByteArray(body)), path, null, null);
    }

    Answer postRawWithName(String path, String token, String contentType, String encodedName, byte[] body) {
        return send(builder(path, token).header("Content-Type", contentType).header("X-Filename", encodedName)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)), path, contentType, null);
    }

    private HttpRequest.Builder builder(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(20));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private Answer send(HttpRequest.Builder builder, String path, String requestType, String requestBody) {
        try {
            HttpRequest request = builder.build();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            String text = response.body();
            String type = response.headers().firstValue("Content-Type").orElse("");
            keepsContract(request.method(), path, requestType, requestBody, response.statusCode(), type, text);
            JsonNode body = text == null || text.isEmpty() || !type.startsWith("application/json") ? null
                    : JSON.readTree(text);
            return new Answer(response.statusCode(), body, type, response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An answer read as text whatever its content type, for bodies such as {@code application/fhir+json}. */
    record Text(int status, String contentType, String body) {}

    Text getText(String path, String token) {
        try {
            HttpResponse<String> response = client.send(builder(path, token).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            keepsContract("GET", path, null, null, response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""), response.body());
            return new Text(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Fails the test when the exchange breaks the OpenAPI document, naming the route and each violation. */
    private static void keepsContract(String method, String path, String requestType, String requestBody, int status,
            String responseType, String responseBody) {
        java.util.List<String> violations = OpenApiContract.get().violations(method, path, requestType, requestBody,
                status, responseType, responseBody);
        if (!violations.isEmpty()) {
            throw new AssertionError("the exchange breaks the OpenAPI document:\n  " + String.join("\n  ", violations));
        }
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Logs in and returns the access token; fails the test unless the login succeeds. */
    String login(String login, String password) {
        Answer answer = post("/api/auth/login", null, json(java.util.Map.of("login", login, "password", password)));
        if (answer.status() != 200) {
            throw new AssertionError("login " + login + " answered " + answer.status());
        }
        return answer.body().path("accessToken").asText();
    }

    /** The id of the token's user, from {@code GET /api/me}. */
    String userId(String token) {
        return get("/api/me", token).body().path("user").path("id").asText();
    }

    /** Every message of a conversation, read through the history API page by page, oldest page last. */
    java.util.List<JsonNode> history(String token, String conversationId) {
        java.util.List<JsonNode> all = new java.util.ArrayList<>();
        Long before = null;
        while (true) {
            Answer page = get("/api/conversations/" + conversationId + "/messages?limit=100"
                    + (before == null ? "" : "&beforeSeq=" + before), token);
            if (page.status() != 200) {
                throw new AssertionError("history of " + conversationId + " answered " + page.status());
            }
            JsonNode messages = page.body().path("messages");
            messages.forEach(all::add);
            if (!page.body().path("hasMore").asBoolean() || messages.isEmpty()) {
                return all;
            }
            before = messages.get(0).path("seq").asLong();
        }
    }
}
