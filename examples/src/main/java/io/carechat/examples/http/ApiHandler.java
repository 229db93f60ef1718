package io.carechat.examples.http;

/** Handles one route. Implementations are thread-safe: the server calls them concurrently. */
@FunctionalInterface
public interface ApiHandler {
    /**
     * Answers a request.
     *
     * @param request the request
     * @return the response
     * @throws Exception anything; the router turns it into a JSON error
     */
    ApiResponse handle(ApiRequest request) throws Exception;
}
