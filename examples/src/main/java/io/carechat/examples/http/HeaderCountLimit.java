package io.carechat.examples.http;

import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;

/**
 * Refuses a request with more header fields than a limit with 431, before any handler runs: Jetty
 * bounds the headers' total size only, and a request of thousands of tiny headers costs the server
 * far more than its size suggests. A customizer of the connector's {@link HttpConfiguration}.
 * Immutable and thread-safe.
 */
public final class HeaderCountLimit implements HttpConfiguration.Customizer {
    private final int maxHeaders;

    /**
     * Creates the limit.
     *
     * @param maxHeaders the most header fields a request may carry, at least 1
     */
    public HeaderCountLimit(int maxHeaders) {
        if (maxHeaders < 1) {
            throw new IllegalArgumentException("maxHeaders must be at least 1");
        }
        this.maxHeaders = maxHeaders;
    }

    @Override
    public Request customize(Request request, HttpFields.Mutable responseHeaders) {
        if (request.getHeaders().size() > maxHeaders) {
            throw new HttpException.RuntimeException(431, "too many header fields");
        }
        return request;
    }
}
