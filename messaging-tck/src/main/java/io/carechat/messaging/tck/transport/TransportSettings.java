package io.carechat.messaging.tck.transport;

import static java.util.Objects.requireNonNull;

/**
 * The settings {@link TransportContract} starts a transport with.
 *
 * @param path the upgrade path, such as {@code /ws}; other paths are refused
 * @param allowedOrigin the one browser {@code Origin} allowed to upgrade; a request without an
 *     {@code Origin} (not a browser) is allowed too
 * @param maxFramePayload the largest text message accepted, in bytes, fragments counted together;
 *     a larger one closes the socket with 1009
 */
public record TransportSettings(String path, String allowedOrigin, int maxFramePayload) {
    /** Checks the values. */
    public TransportSettings {
        requireNonNull(path, "path");
        requireNonNull(allowedOrigin, "allowedOrigin");
        if (maxFramePayload < 1) {
            throw new IllegalArgumentException("maxFramePayload must be positive");
        }
    }
}
