package io.carechat.benchmarks.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Sets up patient–doctor pairs on a running demo server through its HTTP API, as a hospital's
 * integration would: each patient and doctor registers, the admin grants the doctors their role,
 * everyone logs in, and each patient opens the conversation with their doctor. Pairs are set up
 * in parallel. Tokens and passwords stay in memory and are never printed. Thread-safe; stateless
 * apart from the server address.
 */
final class DemoAccounts {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "benchmark pair passphrase, long enough";
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    /** One pair, ready to connect. Immutable. */
    record Pair(String patientToken, String doctorToken, String conversationId) {
        @Override
        public String toString() {
            return "Pair[conversationId=" + conversationId + "]";
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;

    DemoAccounts(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /**
     * Creates {@code count} pairs.
     *
     * @param adminPassword the first admin's password
     * @param threads parallel HTTP calls
     */
    List<Pair> createPairs(int count, String adminPassword, int threads) throws Exception {
        String admin = login("admin", adminPassword);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Pair>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                futures.add(pool.submit(() -> createPair(index, admin)));
            }
            List<Pair> pairs = new ArrayList<>();
            for (Future<Pair> f : futures) {
                pairs.add(f.get(2, TimeUnit.MINUTES));
            }
            return pairs;
        } finally {
            pool.shutdownNow();
        }
    }

    private Pair createPair(int index, String adminToken) throws IOException, InterruptedException {
        String patientName = "bench.patient." + index;
        String doctorName = "bench.doctor." + index;
        register(patientName, "Benchmark Patient " + index);
        String doctorId = register(doctorName, "Benchmark Doctor " + index);
        call("PUT", "/api/admin/users/" + doctorId + "/roles", adminToken, Map.of("roles", List.of("DOCTOR")), 200);
        String patient = login(patientName, PASSWORD);
        String doctor = login(doctorName, PASSWORD);
        JsonNode opened = call("POST", "/api/conversations", patient, Map.of("with", doctorId), 200);
        return new Pair(patient, doctor, opened.path("conversation").path("id").asText());
    }

    private String register(String username, String displayName) throws IOException, InterruptedException {
        JsonNode created = call("POST", "/api/auth/register", null, Map.of("username", username,
                "email", username + "@bench.invalid", "password", PASSWORD, "displayName", displayName), 201);
        return created.path("user").path("id").asText();
    }

    private String login(String login, String password) throws IOException, InterruptedException {
        return call("POST", "/api/auth/login", null, Map.of("login", login, "password", password), 200)
                .path("accessToken").asText();
    }

    private JsonNode call(String method, String path, String token, Object body, int expected)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(CALL_TIMEOUT)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            // the error body names a code, never a token or password
            throw new IOException(method + " " + path.replaceAll("/[0-9a-f-]{16,}", "/{id}") + " answered "
                    + response.statusCode() + ": " + JSON.readTree(response.body()).path("error").path("code").asText());
        }
        return JSON.readTree(response.body());
    }
}
