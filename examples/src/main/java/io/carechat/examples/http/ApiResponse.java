package io.carechat.examples.http;

import org.jspecify.annotations.Nullable;

/**
 * What a handler answers: a status, and a JSON body or raw bytes.
 *
 * @param status the HTTP status
 * @param json a value Jackson writes as the body, or null
 * @param bytes a raw body, or null
 * @param contentType the type of the raw body
 * @param downloadName for a file the user downloads, its name: the answer then tells the browser to
 *     save it, never to render it ({@code Content-Disposition: attachment} and a sandboxing CSP)
 */
public record ApiResponse(int status, @Nullable Object json, byte @Nullable [] bytes, @Nullable String contentType,
        @Nullable String downloadName) {

    /**
     * An answer that is not a download.
     *
     * @param status the HTTP status
     * @param json a value Jackson writes as the body, or null
     * @param bytes a raw body, or null
     * @param contentType the type of the raw body
     */
    public ApiResponse(int status, @Nullable Object json, byte @Nullable [] bytes, @Nullable String contentType) {
        this(status, json, bytes, contentType, null);
    }

    /**
     * 200 with a JSON body.
     *
     * @param body the value to write
     * @return the response
     */
    public static ApiResponse ok(Object body) {
        return new ApiResponse(200, body, null, null);
    }

    /**
     * 201 with a JSON body.
     *
     * @param body the value to write
     * @return the response
     */
    public static ApiResponse created(Object body) {
        return new ApiResponse(201, body, null, null);
    }

    /**
     * 204 without a body.
     *
     * @return the response
     */
    public static ApiResponse noContent() {
        return new ApiResponse(204, null, null, null);
    }

    /**
     * 200 with raw bytes.
     *
     * @param bytes the body
     * @param contentType its type
     * @return the response
     */
    public static ApiResponse bytes(byte[] bytes, String contentType) {
        return new ApiResponse(200, null, bytes, contentType);
    }

    /**
     * 200 with a file the browser must save, not render.
     *
     * @param bytes the file
     * @param contentType its type
     * @param fileName the name to save it under
     * @return the response
     */
    public static ApiResponse download(byte[] bytes, String contentType, String fileName) {
        return new ApiResponse(200, null, bytes, contentType, fileName);
    }
}
