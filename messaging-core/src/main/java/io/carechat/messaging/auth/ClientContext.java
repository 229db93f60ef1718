package io.carechat.messaging.auth;

import io.carechat.messaging.spi.AuditEvent;
import org.jspecify.annotations.Nullable;

/**
 * Where an unauthenticated request (a login, a registration, a refresh, a token to verify) came
 * from, for throttling and the audit trail. Immutable and thread-safe.
 *
 * @param address the client's network address, when known
 * @param clientId the client application's id, when known
 * @param requestId the transport's id for the request, when it has one
 */
public record ClientContext(@Nullable String address, @Nullable String clientId, @Nullable String requestId) {

    private static final ClientContext UNKNOWN = new ClientContext(null, null, null);

    /**
     * A context with nothing known, for calls made by the embedding application itself.
     *
     * @return the empty context
     */
    public static ClientContext unknown() {
        return UNKNOWN;
    }

    /**
     * A context with only an address.
     *
     * @param address the client's network address
     * @return the context
     */
    public static ClientContext fromAddress(@Nullable String address) {
        return new ClientContext(address, null, null);
    }

    /** Puts this context into an audit event as its client. */
    AuditEvent.Builder describe(AuditEvent.Builder event) {
        return event.client(address, clientId, requestId);
    }
}
