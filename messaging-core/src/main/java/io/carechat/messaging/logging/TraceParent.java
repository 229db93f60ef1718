package io.carechat.messaging.logging;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A W3C Trace Context {@code traceparent} header, {@code version-traceid-parentid-flags}, such as
 * {@code 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01}. {@link #parse} accepts only a
 * valid one: lower-case hex fields of 2, 32, 16 and 2 digits, a version other than {@code ff}, a
 * trace id and a parent id that are not all zeros; version {@code 00} has exactly these four
 * fields, a later version may add more after a dash. Anything else is ignored, never an error: a
 * malformed header only means no trace id. Immutable and thread-safe.
 *
 * @param traceId the 32 hex digits of the trace
 * @param parentId the 16 hex digits of the caller's span
 * @param flags the 2 hex digits of the trace flags ({@code 01}: sampled)
 */
public record TraceParent(String traceId, String parentId, String flags) {
    /** The header's name, as HTTP and the WebSocket upgrade carry it. */
    public static final String HEADER = "traceparent";
    private static final int VERSION_00_LENGTH = 55;

    /**
     * Reads a header value.
     *
     * @param header the {@code traceparent} value, or null when the request had none
     * @return the parsed header, or empty when it is absent or not valid
     */
    public static Optional<TraceParent> parse(@Nullable String header) {
        if (header == null || header.length() < VERSION_00_LENGTH) {
            return Optional.empty();
        }
        String version = header.substring(0, 2);
        if (!isHex(version) || "ff".equals(version) || header.charAt(2) != '-' || header.charAt(35) != '-'
                || header.charAt(52) != '-') {
            return Optional.empty();
        }
        if (header.length() > VERSION_00_LENGTH
                && ("00".equals(version) || header.charAt(VERSION_00_LENGTH) != '-')) {
            return Optional.empty();
        }
        String traceId = header.substring(3, 35);
        String parentId = header.substring(36, 52);
        String flags = header.substring(53, 55);
        if (!isHex(traceId) || !isHex(parentId) || !isHex(flags) || isZero(traceId) || isZero(parentId)) {
            return Optional.empty();
        }
        return Optional.of(new TraceParent(traceId, parentId, flags));
    }

    private static boolean isHex(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isZero(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }
}
