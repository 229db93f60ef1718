package io.carechat.examples.api;

import io.carechat.examples.http.ApiHandler;
import io.carechat.examples.http.ApiResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * The OpenAPI 3.1 description of the HTTP API, read once from the class path
 * ({@code io/carechat/examples/api/openapi.json}) and served as is at {@code GET /api/openapi.json}
 * to anyone, cacheable for an hour. Immutable, so thread-safe.
 */
public final class OpenApiDocument {
    /** Where the document lies on the class path. */
    public static final String RESOURCE = "/io/carechat/examples/api/openapi.json";

    private static final Duration MAX_AGE = Duration.ofHours(1);

    private final byte[] json;

    private OpenApiDocument(byte[] json) {
        this.json = json;
    }

    /**
     * Reads the document from the class path.
     *
     * @return the document
     * @throws IllegalStateException if the document is missing from the class path
     */
    public static OpenApiDocument load() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the OpenAPI document " + RESOURCE + " is missing from the class path");
            }
            return new OpenApiDocument(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The handler that serves the document.
     *
     * @return a handler answering 200 with the document, {@code application/json}, cacheable
     */
    public ApiHandler handler() {
        return request -> {
            request.cacheablePublicly(MAX_AGE);
            return ApiResponse.bytes(json.clone(), "application/json; charset=utf-8");
        };
    }
}
