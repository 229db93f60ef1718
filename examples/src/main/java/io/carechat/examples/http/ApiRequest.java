package io.carechat.examples.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.carechat.messaging.error.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP request as a handler sees it: path parameters, query parameters, a bounded JSON or raw
 * body, and the bearer token. Not thread-safe; lives for one request.
 */
public final class ApiRequest {
    /** How much of an oversized body is read and dropped before answering 413. */
    private static final long MAX_DISCARD_BYTES = 1024 * 1024;

    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final List<String> pathParams;
    private final Map<String, String> query;
    private final ObjectMapper json;
    private final int maxJsonBytes;

    ApiRequest(HttpServletRequest request, HttpServletResponse response, List<String> pathParams, ObjectMapper json,
            int maxJsonBytes) {
        this.request = request;
        this.response = response;
        this.pathParams = pathParams;
        this.json = json;
        this.maxJsonBytes = maxJsonBytes;
        this.query = parseQuery(request.getQueryString());
    }

    /**
     * Lets clients and caches keep the answer for a while, instead of the {@code no-store} every
     * other answer carries; only for answers that are the same for every caller. An error answer
     * stays {@code no-store} all the same.
     *
     * @param maxAge how long a cache may keep the answer
     */
    public void cacheablePublicly(java.time.Duration maxAge) {
        response.setHeader("Cache-Control", "public, max-age=" + maxAge.toSeconds());
    }

    /**
     * A path parameter, in the order the route's {@code {}} placeholders appear.
     *
     * @param index the placeholder's position, from 0
     * @return its decoded text
     */
    public String pathParam(int index) {
        return pathParams.get(index);
    }

    /**
     * A query parameter.
     *
     * @param name its name
     * @return its value, if present and not empty
     */
    public Optional<String> query(String name) {
        return Optional.ofNullable(query.get(name)).filter(v -> !v.isEmpty());
    }

    /**
     * A query parameter as a number.
     *
     * @param name its name
     * @return the number, if present
     * @throws ApiException 400 when it is not a whole number
     */
    public Optional<Long> queryLong(String name) {
        Optional<String> text = query(name);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(text.get()));
        } catch (NumberFormatException e) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "query parameter '" + name + "' must be a whole number");
        }
    }

    /**
     * The token of an {@code Authorization: Bearer} header.
     *
     * @return the token, if the header is there
     */
    public Optional<String> bearerToken() {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = header.substring(7).trim();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    /**
     * A request header.
     *
     * @param name the header
     * @return its first value, if present
     */
    public Optional<String> header(String name) {
        return Optional.ofNullable(request.getHeader(name));
    }

    /**
     * The client's address, for the audit trail.
     *
     * @return the remote IP address
     */
    public String clientAddress() {
        return request.getRemoteAddr();
    }

    /**
     * The body as a JSON object, at most the configured size.
     *
     * @return the object
     * @throws ApiException 400 when it is not a JSON object, 413 when too large, 415 when its
     *     {@code Content-Type} is missing or not JSON
     */
    public JsonNode jsonBody() {
        String type = header("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        if (!type.startsWith("application/json")) {
            throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "the body must be application/json");
        }
        byte[] bytes = body(maxJsonBytes);
        try {
            JsonNode node = json.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new ApiException(ErrorCode.BAD_REQUEST, "the body must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "the body is not valid JSON");
        }
    }

    /**
     * The raw body, read while counting: reading stops as soon as it passes {@code maxBytes}.
     *
     * @param maxBytes the largest body accepted
     * @return the bytes
     * @throws ApiException 413 when larger; 400 when the body cannot be read (malformed chunked
     *     encoding, or the client stopped sending and the read timeout closed the connection)
     */
    public byte[] body(long maxBytes) {
        String declared = request.getHeader("Content-Length");
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                throw new ApiException(ErrorCode.BAD_REQUEST, "Content-Length is not a number");
            }
            if (length > maxBytes) {
                discardRest(length <= maxBytes + MAX_DISCARD_BYTES);
                throw tooLarge(maxBytes);
            }
        }
        try (InputStream in = request.getInputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[16 * 1024];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) != -1) {
                total += n;
                if (total > maxBytes) {
                    discardRest(true);
                    throw tooLarge(maxBytes);
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            // The client's fault, not the server's: answer 400 and end the connection, whose
            // framing can no longer be trusted.
            response.setHeader("Connection", "close");
            throw new ApiException(ErrorCode.BAD_REQUEST, "the body could not be read");
        }
    }

    /**
     * Reads and drops what is left of an oversized body, up to a bound, so the client reads the
     * 413 instead of a reset connection; past the bound the connection is closed after the answer.
     */
    private void discardRest(boolean withinBound) {
        if (!withinBound) {
            response.setHeader("Connection", "close");
            return;
        }
        try {
            InputStream in = request.getInputStream();
            byte[] buffer = new byte[16 * 1024];
            long dropped = 0;
            int n;
            while (dropped <= MAX_DISCARD_BYTES && (n = in.read(buffer)) != -1) {
                dropped += n;
            }
            if (dropped > MAX_DISCARD_BYTES) {
                response.setHeader("Connection", "close");
            }
        } catch (IOException e) {
            response.setHeader("Connection", "close");
        }
    }

    /**
     * A required string field of the JSON body.
     *
     * @param body the body
     * @param field the field
     * @return its text
     * @throws ApiException 400 naming the field when missing or not a string
     */
    public static String text(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || !node.isTextual()) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "'" + field + "' is required and must be a string");
        }
        return node.asText();
    }

    /**
     * An optional string field of the JSON body.
     *
     * @param body the body
     * @param field the field
     * @return its text, or null when absent
     * @throws ApiException 400 naming the field when present but not a string
     */
    public static @Nullable String optionalText(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "'" + field + "' must be a string");
        }
        return node.asText();
    }

    /**
     * A required whole-number field of the JSON body.
     *
     * @param body the body
     * @param field the field
     * @return its value
     * @throws ApiException 400 naming the field when missing or not a whole number
     */
    public static long number(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "'" + field + "' is required and must be a whole number");
        }
        return node.asLong();
    }

    private static ApiException tooLarge(long maxBytes) {
        return new ApiException(ErrorCode.TOO_LARGE, "the body is larger than " + maxBytes + " bytes");
    }

    private static Map<String, String> parseQuery(@Nullable String raw) {
        Map<String, String> params = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.putIfAbsent(key, value);
        }
        return params;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "the query string is malformed");
        }
    }

    /** @return the names of the query parameters */
    java.util.Set<String> queryNames() {
        return query.keySet();
    }
}
