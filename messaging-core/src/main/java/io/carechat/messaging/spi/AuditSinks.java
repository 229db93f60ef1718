package io.carechat.messaging.spi;

import io.carechat.messaging.error.UnavailableException;

/**
 * Keeping an event in an {@link AuditSink} the fail-closed way, for stores that record audit
 * events themselves. Stateless and thread-safe.
 */
public final class AuditSinks {
    private AuditSinks() {}

    /**
     * Keeps an event, turning any failure into {@link UnavailableException}: the audited action
     * must then not happen.
     *
     * @param sink where the event goes
     * @param event the event
     * @throws UnavailableException if the sink did not keep it
     */
    public static void recordOrFail(AuditSink sink, AuditEvent event) {
        try {
            sink.record(event);
        } catch (UnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new UnavailableException("the audit trail is unavailable", e);
        }
    }
}
